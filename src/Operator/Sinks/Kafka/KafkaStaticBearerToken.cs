using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Answers librdkafka's OAUTHBEARER token refresh with the sink's static token (SPEC §2.1 <c>token</c>).
/// When the token is a JWT its <c>exp</c> and <c>sub</c> are used as lifetime and principal, so
/// librdkafka refreshes (and logs in again) before the broker would reject it; otherwise the token
/// is offered for an hour at a time under the principal <c>kollect</c>.
/// </summary>
internal static class KafkaStaticBearerToken
{
    private static readonly TimeSpan OpaqueLifetime = TimeSpan.FromHours(1);

    /// <summary>The handler to pass to a producer or admin client builder.</summary>
    public static void Refresh(IClient client, string token, TimeProvider clock)
    {
        (long lifetimeMs, string principal) = Describe(token, clock.GetUtcNow());
        try
        {
            client.OAuthBearerSetToken(token, lifetimeMs, principal);
        }
        catch (KafkaException e)
        {
            // The reason from librdkafka names a property, never the token.
            client.OAuthBearerSetTokenFailure($"the static OAUTHBEARER token from the sink's Secret key 'token' was refused by librdkafka: {e.Error.Reason}");
        }
    }

    /// <summary>Lifetime (Unix ms) and principal of <paramref name="token"/>.</summary>
    internal static (long LifetimeMs, string Principal) Describe(string token, DateTimeOffset now)
    {
        long fallback = (now + OpaqueLifetime).ToUnixTimeMilliseconds();
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (fallback, "kollect");
        }

        try
        {
            string payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using JsonDocument claims = JsonDocument.Parse(Convert.FromBase64String(payload));
            JsonElement root = claims.RootElement;
            long lifetime = root.TryGetProperty("exp", out JsonElement exp) && exp.TryGetInt64(out long seconds) && seconds * 1000 > now.ToUnixTimeMilliseconds()
                ? seconds * 1000
                : fallback;
            string principal = root.TryGetProperty("sub", out JsonElement sub) && sub.ValueKind == JsonValueKind.String && sub.GetString() is { Length: > 0 } s
                ? s
                : "kollect";
            return (lifetime, principal);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return (fallback, "kollect");
        }
    }
}
