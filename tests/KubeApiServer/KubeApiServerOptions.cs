namespace Kollect.Testing.KubeApiServer;

/// <summary>How to run the test API server; every value has a command-line flag (see README.md).</summary>
public sealed record KubeApiServerOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a self-signed certificate instead of HTTP.</summary>
    public bool Https { get; init; }

    /// <summary>How many events the watch history keeps; older resourceVersions get 410 Expired.</summary>
    public int HistoryWindow { get; init; } = 10_000;

    /// <summary>How often an open watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Watch length when the client gives no <c>timeoutSeconds</c> (kube-apiserver: 30–60 min).</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Authenticate and authorize like a cluster with RBAC: the admin token is system:masters,
    /// ServiceAccount tokens (TokenRequest) are checked, anything else is 401, and every request
    /// must be allowed by the stored Roles/ClusterRoles and bindings (403 otherwise). Off by
    /// default: any token is then the admin.
    /// </summary>
    public bool Rbac { get; init; }

    /// <summary>Log every request to standard output (method, path, Accept, status).</summary>
    public bool LogRequests { get; init; }
}
