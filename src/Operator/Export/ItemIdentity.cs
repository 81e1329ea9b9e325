namespace Kollect.Operator.Export;

/// <summary>
/// The identity fields of an Item row (SPEC §3): which target collected which object, with the
/// GVK taken from the profile. Cluster-scoped objects have <see cref="Namespace"/> "".
/// </summary>
public sealed record ItemIdentity(
    string TargetNamespace,
    string TargetName,
    string Namespace,
    string Name,
    string Group,
    string Version,
    string Kind,
    string Uid)
{
    /// <summary><c>namespace/name</c> (or <c>name</c> for cluster-scoped objects) for messages.</summary>
    public string DisplayName => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
