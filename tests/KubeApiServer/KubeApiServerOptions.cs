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

    /// <summary>Log every request to standard output (method, path, Accept, status).</summary>
    public bool LogRequests { get; init; }
}
