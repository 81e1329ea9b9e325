namespace Kollect.Operator.Collect;

/// <summary>
/// Identifies a KollectTarget (<see cref="IsCluster"/> false, in <see cref="Namespace"/>) or a
/// KollectClusterTarget (<see cref="IsCluster"/> true, <see cref="Namespace"/> ""). The flag keeps
/// the two kinds apart even when names coincide.
/// </summary>
public readonly record struct TargetKey(bool IsCluster, string Namespace, string Name)
{
    public static TargetKey Namespaced(string ns, string name) => new(false, ns, name);

    public static TargetKey Cluster(string name) => new(true, "", name);

    public override string ToString() => IsCluster ? $"KollectClusterTarget {Name}" : $"KollectTarget {Namespace}/{Name}";
}
