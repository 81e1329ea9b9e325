namespace Kollect.Operator.Sinks.Nats;

/// <summary>Protocol operations a NATS server sends to a client.</summary>
public enum NatsServerOpKind
{
    /// <summary><c>INFO {json}</c>.</summary>
    Info,

    /// <summary><c>MSG</c> or <c>HMSG</c>.</summary>
    Message,

    /// <summary><c>PING</c>.</summary>
    Ping,

    /// <summary><c>PONG</c>.</summary>
    Pong,

    /// <summary><c>+OK</c>.</summary>
    Ok,

    /// <summary><c>-ERR 'text'</c>.</summary>
    Error,
}
