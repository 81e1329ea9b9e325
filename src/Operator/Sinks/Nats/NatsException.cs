namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// A classified NATS failure. Messages are written for people and never contain secrets (SPEC §6.5).
/// </summary>
public sealed class NatsException : Exception
{
    /// <summary>Creates a failure of <paramref name="kind"/>; transience follows the kind unless given.</summary>
    public NatsException(NatsFailureKind kind, string message, Exception? innerException = null, bool? isTransient = null, int? jetStreamErrorCode = null)
        : base(message, innerException)
    {
        Kind = kind;
        IsTransient = isTransient ?? IsTransientByDefault(kind);
        JetStreamErrorCode = jetStreamErrorCode;
    }

    /// <summary>What went wrong.</summary>
    public NatsFailureKind Kind { get; }

    /// <summary>True when retrying the same operation later can succeed without a configuration change.</summary>
    public bool IsTransient { get; }

    /// <summary>JetStream's <c>err_code</c> (for example 10059 stream not found) when the server sent one.</summary>
    public int? JetStreamErrorCode { get; }

    private static bool IsTransientByDefault(NatsFailureKind kind) => kind is
        NatsFailureKind.ConnectionFailed or
        NatsFailureKind.Timeout or
        NatsFailureKind.Disconnected or
        NatsFailureKind.NoResponders;
}
