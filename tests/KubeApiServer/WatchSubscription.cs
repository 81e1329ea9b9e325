using System.Threading.Channels;

namespace Kollect.Testing.KubeApiServer;

/// <summary>An open watch: the store pushes matching events into its channel.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly ObjectStore _store;

    internal WatchSubscription(ObjectStore store, string storageKey, string? ns)
    {
        _store = store;
        StorageKey = storageKey;
        Namespace = ns;
    }

    public string StorageKey { get; }

    public string? Namespace { get; }

    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Ends the watch from the server side (fault injection, shutdown).</summary>
    public void Drop() => Events.Writer.TryComplete();

    public void Dispose() => _store.Unsubscribe(this);
}
