namespace Kollect.Operator.Sinks.Nats;

/// <summary>One parsed server operation.</summary>
/// <param name="Kind">Which operation.</param>
/// <param name="Text">INFO JSON or the -ERR text (quotes removed); null otherwise.</param>
/// <param name="Message">The message for <see cref="NatsServerOpKind.Message"/>; null otherwise.</param>
public sealed record NatsServerOp(NatsServerOpKind Kind, string? Text = null, NatsMessage? Message = null)
{
    /// <summary>A shared PING.</summary>
    public static NatsServerOp Ping { get; } = new(NatsServerOpKind.Ping);

    /// <summary>A shared PONG.</summary>
    public static NatsServerOp Pong { get; } = new(NatsServerOpKind.Pong);

    /// <summary>A shared +OK.</summary>
    public static NatsServerOp Ok { get; } = new(NatsServerOpKind.Ok);
}
