using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// ServiceAccount tokens as kube-apiserver issues them through the TokenRequest subresource
/// (<c>POST …/serviceaccounts/{name}/token</c>, what <c>kubectl create token</c> calls): RS256 JWTs
/// with the <c>kubernetes.io</c> claims, signed by a key this server makes at start. A token
/// authenticates while it is unexpired, names the API server's audience and its ServiceAccount
/// still exists with the same uid.
/// </summary>
public sealed class ServiceAccountTokens(ObjectStore store, TimeProvider time) : IDisposable
{
    /// <summary>The audience and issuer of tokens meant for this API server (kube's defaults).</summary>
    public const string ApiAudience = "https://kubernetes.default.svc.cluster.local";

    private const long DefaultExpirationSeconds = 3600;
    private const long MinimumExpirationSeconds = 600;
    private readonly RSA _key = RSA.Create(2048);

    /// <summary>Answers a TokenRequest for ServiceAccount <paramref name="ns"/>/<paramref name="name"/> (201 with status.token).</summary>
    public JsonObject Issue(ApiResourceType serviceAccounts, string ns, string name, JsonNode? body)
    {
        var serviceAccount = store.Get(serviceAccounts.StorageKey, ns, name) ?? throw ApiError.NotFound(serviceAccounts, name);
        var spec = body?["spec"] as JsonObject ?? new JsonObject();
        var expiration = spec["expirationSeconds"] is JsonValue seconds ? seconds.GetValue<long>() : DefaultExpirationSeconds;
        if (expiration < MinimumExpirationSeconds)
        {
            throw ApiError.Invalid(TokenRequestType, name,
                [new FieldError("spec.expirationSeconds", "FieldValueInvalid", $"Invalid value: {expiration}: may not specify a duration less than 10 minutes")]);
        }
        var audiences = spec["audiences"] is JsonArray { Count: > 0 } requested
            ? requested.Select(a => (string?)a).OfType<string>().ToList()
            : [ApiAudience];
        var now = time.GetUtcNow();
        var expires = now.AddSeconds(expiration);
        var uid = (string)serviceAccount["metadata"]!["uid"]!;
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray(audiences.Select(a => (JsonNode?)a).ToArray()),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = ApiAudience,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = ns,
                ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid },
            },
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = $"system:serviceaccount:{ns}:{name}",
        };
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId() };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(KubeJson.Serialize(header))) + "." + Base64Url(Encoding.UTF8.GetBytes(KubeJson.Serialize(claims)));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["creationTimestamp"] = Rfc3339(now),
            },
            ["spec"] = Spec(audiences, expiration, spec["boundObjectRef"]),
            ["status"] = new JsonObject
            {
                ["token"] = signingInput + "." + Base64Url(signature),
                ["expirationTimestamp"] = Rfc3339(expires),
            },
        };
    }

    /// <summary>The ServiceAccount user of a valid token; null when <paramref name="token"/> is not one of ours or no longer valid.</summary>
    public UserInfo? Authenticate(string token, ApiResourceType serviceAccounts)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        JsonNode? claims;
        try
        {
            var signature = FromBase64Url(parts[2]);
            if (!_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return null;
            }
            claims = JsonNode.Parse(FromBase64Url(parts[1]));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
        if (claims?["exp"] is not JsonValue exp || exp.GetValue<long>() <= time.GetUtcNow().ToUnixTimeSeconds()
            || claims["aud"] is not JsonArray audiences || !audiences.Any(a => (string?)a == ApiAudience))
        {
            return null;
        }
        var ns = (string?)claims["kubernetes.io"]?["namespace"];
        var name = (string?)claims["kubernetes.io"]?["serviceaccount"]?["name"];
        var uid = (string?)claims["kubernetes.io"]?["serviceaccount"]?["uid"];
        if (ns is null || name is null || store.Get(serviceAccounts.StorageKey, ns, name) is not { } current
            || (string?)current["metadata"]?["uid"] != uid)
        {
            return null;
        }
        return UserInfo.ServiceAccount(ns, name);
    }

    public void Dispose() => _key.Dispose();

    private static JsonObject Spec(List<string> audiences, long expiration, JsonNode? boundObjectRef)
    {
        var spec = new JsonObject
        {
            ["audiences"] = new JsonArray(audiences.Select(a => (JsonNode?)a).ToArray()),
            ["expirationSeconds"] = expiration,
        };
        if (boundObjectRef is not null)
        {
            spec["boundObjectRef"] = boundObjectRef.DeepClone();
        }
        return spec;
    }

    private static readonly ApiResourceType TokenRequestType =
        new("authentication.k8s.io", "v1", "TokenRequest", "tokenrequests", "tokenrequest", true, [], []);

    private string KeyId() => Base64Url(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
