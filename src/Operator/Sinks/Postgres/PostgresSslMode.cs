namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// libpq's <c>sslmode</c>, as written in a database sink's connection string (SPEC §2.5). The
/// default is <see cref="Prefer"/>, as in libpq. Only <see cref="VerifyCa"/> and
/// <see cref="VerifyFull"/> verify the server's certificate; the others are reported by the sink's
/// <c>TLSInsecure</c> condition when they may encrypt without verifying.
/// </summary>
public enum PostgresSslMode
{
    /// <summary><c>disable</c>: never TLS.</summary>
    Disable,

    /// <summary><c>allow</c>: plain first, TLS if the server insists; certificate not verified.</summary>
    Allow,

    /// <summary><c>prefer</c>: TLS if the server offers it, plain otherwise; certificate not verified.</summary>
    Prefer,

    /// <summary><c>require</c>: TLS always; certificate not verified.</summary>
    Require,

    /// <summary><c>verify-ca</c>: TLS, and the certificate must chain to a trusted CA.</summary>
    VerifyCa,

    /// <summary><c>verify-full</c>: as <see cref="VerifyCa"/>, and the certificate must name the host.</summary>
    VerifyFull,
}
