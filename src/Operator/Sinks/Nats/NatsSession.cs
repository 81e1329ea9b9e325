using System.Collections.Concurrent;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NatsClient = NATS.Client.Core.NatsConnection;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>One NATS.Net connection with its JetStream context and what the adapter observes of it.</summary>
internal sealed class NatsSession : IAsyncDisposable
{
    private readonly ConcurrentDictionary<NatsInFlightPublish, byte> _inFlight = new();
    private readonly CancellationTokenSource _closing = new();
    private int _opened;

    public NatsSession(NatsClientSettings settings)
    {
        Settings = settings;
        Connection = new NatsClient(settings.CreateOpts());
        // PubAck and API replies wait longer than our own bound, so a missing reply shows as our timeout.
        JetStream = new NatsJSContext(Connection, new NatsJSOpts(Connection.Opts, requestTimeout: settings.Options.RequestTimeout + TimeSpan.FromSeconds(5)));
        Connection.ConnectionOpened += (_, _) =>
        {
            Interlocked.Increment(ref _opened);
            return default;
        };
        Connection.ServerError += (_, args) =>
        {
            OnServerError(args.Error);
            return default;
        };
    }

    public NatsClientSettings Settings { get; }

    public NatsClient Connection { get; }

    public NatsJSContext JetStream { get; }

    public CancellationToken Closing => _closing.Token;

    public int Opened => Volatile.Read(ref _opened);

    public long MaxPayload => Connection.ServerInfo is { MaxPayload: > 0 } info ? info.MaxPayload : 1024 * 1024;

    public NatsInFlightPublish Track(string subject, CancellationTokenSource limit)
    {
        NatsInFlightPublish entry = new(subject, limit);
        _inFlight[entry] = 0;
        return entry;
    }

    public void Untrack(NatsInFlightPublish entry) => _inFlight.TryRemove(entry, out _);

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }

    // A permissions violation keeps the connection open but the request will never be answered:
    // fail the affected publishes now with the reason instead of letting them time out.
    private void OnServerError(string serverError)
    {
        const string Prefix = "Permissions Violation for ";
        if (!serverError.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        int open = serverError.IndexOf('"', StringComparison.Ordinal);
        int close = serverError.LastIndexOf('"');
        string deniedSubject = open >= 0 && close > open ? serverError[(open + 1)..close] : string.Empty;
        bool subscription = serverError.AsSpan(Prefix.Length).StartsWith("Subscription", StringComparison.OrdinalIgnoreCase);
        foreach (NatsInFlightPublish entry in _inFlight.Keys)
        {
            if (subscription || string.Equals(entry.Subject, deniedSubject, StringComparison.Ordinal))
            {
                entry.Deny(serverError);
            }
        }
    }
}
