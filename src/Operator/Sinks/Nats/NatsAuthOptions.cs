namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Credentials from the sink's Secret (SPEC §2.1), one kind at a time: <c>creds</c> (a NATS
/// credentials file: user JWT + NKey seed), <c>nkey</c> (an NKey seed), <c>token</c>, or
/// <c>username</c> + <c>password</c>.
/// </summary>
/// <remarks><see cref="ToString"/> never shows secret values (SPEC §6.5).</remarks>
public sealed record NatsAuthOptions
{
    private const string JwtBegin = "-----BEGIN NATS USER JWT-----";
    private const string SeedBegin = "-----BEGIN USER NKEY SEED-----";

    /// <summary>No credentials.</summary>
    public static NatsAuthOptions None { get; } = new();

    /// <summary>The Secret's <c>token</c>.</summary>
    public string? Token { get; init; }

    /// <summary>The Secret's <c>username</c>.</summary>
    public string? Username { get; init; }

    /// <summary>The Secret's <c>password</c>.</summary>
    public string? Password { get; init; }

    /// <summary>The Secret's <c>creds</c>: the text of a NATS credentials file (user JWT and NKey seed blocks).</summary>
    public string? Creds { get; init; }

    /// <summary>The Secret's <c>nkey</c>: an NKey user seed (<c>SU…</c>); the public key is derived from it.</summary>
    public string? NKeySeed { get; init; }

    /// <summary>What kind of credential this is, for messages.</summary>
    public string Kind =>
        Creds is not null ? "creds" : NKeySeed is not null ? "nkey" : Token is not null ? "token" : Username is not null ? "user/password" : "none";

    /// <summary>Why <paramref name="creds"/> is not a NATS credentials file, or null; never quotes it.</summary>
    public static string? DescribeCredsProblem(string creds)
    {
        ArgumentNullException.ThrowIfNull(creds);
        bool jwt = HasBlock(creds, JwtBegin);
        bool seed = HasBlock(creds, SeedBegin);
        return (jwt, seed) switch
        {
            (true, true) => null,
            (false, true) => $"the sink's Secret key 'creds' has no user JWT block ({JwtBegin}); put the whole credentials file there",
            (true, false) => $"the sink's Secret key 'creds' has no NKey seed block ({SeedBegin}); put the whole credentials file there",
            _ => $"the sink's Secret key 'creds' is not a NATS credentials file (no {JwtBegin} / {SeedBegin} blocks)",
        };
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Username is null ? $"NatsAuthOptions {{ Kind = {Kind} }}" : $"NatsAuthOptions {{ Kind = {Kind}, Username = {Username} }}";

    /// <summary>The NKey seed line of a credentials file, or null.</summary>
    public static string? CredsSeed(string creds) => BlockLine(creds, SeedBegin);

    private static bool HasBlock(string creds, string begin) => BlockLine(creds, begin) is not null;

    // A block is its BEGIN line followed by a non-empty line (what NATS.Net reads).
    private static string? BlockLine(string creds, string begin)
    {
        string[] lines = creds.Split('\n');
        for (int i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].Trim().StartsWith(begin, StringComparison.Ordinal) && lines[i + 1].Trim().Length > 0)
            {
                return lines[i + 1].Trim();
            }
        }

        return null;
    }
}
