namespace Kollect.Operator.Sinks;

/// <summary>
/// The keys a sink's Secret may hold (SPEC §2.1, §6.5). They are Secret data keys, not fields of
/// a Kollect kind, although some share a word with one (<c>tls</c>).
/// </summary>
internal static class SinkSecretKeys
{
    public const string Username = "username";
    public const string Password = "password";
    public const string Token = "token";
    public const string Mechanism = "mechanism";
    public const string Creds = "creds";
    public const string NKey = "nkey";
    public const string TlsCrt = "tls.crt"; // not a Kollect field: a Secret key
    public const string TlsKey = "tls.key"; // not a Kollect field: a Secret key
    public const string CaCrt = "ca.crt";
}
