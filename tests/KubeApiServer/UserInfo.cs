namespace Kollect.Testing.KubeApiServer;

/// <summary>Who sent a request, as kube-apiserver's authenticators report it.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string MastersGroup = "system:masters";

    /// <summary>The user of <see cref="KubeApiServerHost.AdminToken"/>: in system:masters, so never denied.</summary>
    public static UserInfo Admin { get; } = new("kollect-test-admin", [MastersGroup, "system:authenticated"]);

    /// <summary>A request without credentials (kube-apiserver's anonymous authentication).</summary>
    public static UserInfo Anonymous { get; } = new("system:anonymous", ["system:unauthenticated"]);

    public static UserInfo ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);
}
