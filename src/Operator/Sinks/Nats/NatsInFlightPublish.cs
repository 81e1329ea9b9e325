namespace Kollect.Operator.Sinks.Nats;

/// <summary>A publish waiting for its PubAck; a permissions violation for its subject ends the wait at once.</summary>
internal sealed class NatsInFlightPublish(string subject, CancellationTokenSource limit)
{
    private string? _denied;

    public string Subject { get; } = subject;

    public string? Denied => Volatile.Read(ref _denied);

    public void Deny(string serverError)
    {
        Volatile.Write(ref _denied, serverError);
        try
        {
            limit.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The publish already ended.
        }
    }
}
