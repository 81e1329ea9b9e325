namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Credentials from the sink's Secret (SPEC §2.1): a token, or username + password. A <c>creds</c>
/// key (JWT + NKey) is carried only as a flag so the connection can refuse it clearly.
/// </summary>
/// <remarks><see cref="ToString"/> never shows secret values (SPEC §6.5).</remarks>
public sealed record NatsAuthOptions
{
    /// <summary>No credentials.</summary>
    public static NatsAuthOptions None { get; } = new();

    /// <summary>The Secret's <c>token</c>.</summary>
    public string? Token { get; init; }

    /// <summary>The Secret's <c>username</c>.</summary>
    public string? Username { get; init; }

    /// <summary>The Secret's <c>password</c>.</summary>
    public string? Password { get; init; }

    /// <summary>True when the Secret has a <c>creds</c> key, which is not supported yet.</summary>
    public bool HasCreds { get; init; }

    /// <inheritdoc/>
    public override string ToString()
    {
        string kind = HasCreds ? "creds" : Token is not null ? "token" : Username is not null ? "user/password" : "none";
        return Username is null ? $"NatsAuthOptions {{ Kind = {kind} }}" : $"NatsAuthOptions {{ Kind = {kind}, Username = {Username} }}";
    }
}
