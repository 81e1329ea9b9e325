namespace Kollect.Operator.Sinks.Nats;

/// <summary>What went wrong talking to NATS; decides the reason shown to people and whether a retry can help.</summary>
public enum NatsFailureKind
{
    /// <summary>The sink's settings cannot work (bad URL, wildcard subject, unreadable PEM).</summary>
    InvalidConfiguration,

    /// <summary>The endpoint guard denied the address (SPEC §6.5).</summary>
    EndpointDenied,

    /// <summary>TCP connect failed or the host name did not resolve.</summary>
    ConnectionFailed,

    /// <summary>The server rejected the credentials.</summary>
    AuthenticationFailed,

    /// <summary>The server's authorization settings do not let this user publish or subscribe there.</summary>
    PermissionDenied,

    /// <summary>The TLS handshake failed (untrusted certificate, name mismatch, client certificate refused).</summary>
    TlsFailed,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>The connection broke or is being re-established.</summary>
    Disconnected,

    /// <summary>Nobody listens on the request subject (HMSG status 503).</summary>
    NoResponders,

    /// <summary>JetStream is not enabled on the server or for the account.</summary>
    JetStreamNotEnabled,

    /// <summary>The stream does not exist (and may not be created).</summary>
    StreamNotFound,

    /// <summary>The stream exists but does not capture the sink's subject.</summary>
    StreamSubjectMismatch,

    /// <summary>Another stream already captures the sink's subject.</summary>
    SubjectOwnedByOtherStream,

    /// <summary>Any other JetStream API error.</summary>
    JetStreamError,

    /// <summary>The message is larger than the server's <c>max_payload</c>.</summary>
    PayloadTooLarge,

    /// <summary>The server said something this client does not understand.</summary>
    ProtocolError,

    /// <summary>The connection was disposed.</summary>
    Closed,
}
