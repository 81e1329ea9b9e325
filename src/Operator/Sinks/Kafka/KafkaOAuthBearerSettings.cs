namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// SASL/OAUTHBEARER for a Kafka sink (SPEC §2.1): either a static <see cref="Token"/> (the Secret's
/// <c>token</c>), handed to librdkafka through Confluent.Kafka's token-refresh handler, or OIDC client
/// credentials (the Secret's <c>oauthbearer.*</c> keys), which librdkafka fetches and refreshes
/// itself (<c>sasl.oauthbearer.method=oidc</c>).
/// </summary>
/// <remarks><see cref="ToString"/> never shows the token or the client secret (SPEC §6.5).</remarks>
public sealed record KafkaOAuthBearerSettings
{
    /// <summary>Secret key of the OIDC client id.</summary>
    public const string ClientIdKey = "oauthbearer.client.id";

    /// <summary>Secret key of the OIDC client secret.</summary>
    public const string ClientSecretKey = "oauthbearer.client.secret";

    /// <summary>Secret key of the OIDC token endpoint (a Secret key, not a sink field).</summary>
    public const string TokenEndpointUrlKey = "oauthbearer.token.endpoint.url"; // not a Kollect field: a librdkafka property

    /// <summary>Secret key of the optional OIDC scope.</summary>
    public const string ScopeKey = "oauthbearer.scope";

    /// <summary>Secret key of the optional SASL extensions.</summary>
    public const string ExtensionsKey = "oauthbearer.extensions";

    /// <summary>A static bearer token; null for OIDC.</summary>
    public string? Token { get; init; }

    /// <summary>OIDC client id (<c>oauthbearer.client.id</c>).</summary>
    public string? ClientId { get; init; }

    /// <summary>OIDC client secret (<c>oauthbearer.client.secret</c>).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>OIDC token endpoint (<c>oauthbearer.token.endpoint.url</c>), https.</summary>
    public string? TokenEndpointUrl { get; init; }

    /// <summary>Optional scope (<c>oauthbearer.scope</c>).</summary>
    public string? Scope { get; init; }

    /// <summary>Optional SASL extensions, <c>key=value,…</c> (<c>oauthbearer.extensions</c>).</summary>
    public string? Extensions { get; init; }

    /// <summary>True for OIDC client credentials, false for a static token.</summary>
    public bool IsOidc => Token is null;

    /// <inheritdoc/>
    public override string ToString() => IsOidc
        ? $"KafkaOAuthBearerSettings {{ Method = oidc, ClientId = {ClientId}, ClientSecret = <redacted>, TokenEndpointUrl = {TokenEndpointUrl}, Scope = {Scope}, Extensions = {Extensions} }}"
        : "KafkaOAuthBearerSettings { Method = static token, Token = <redacted> }";
}
