using System.Text.Json;

namespace Kollect.Operator.Kube;

/// <summary>
/// The <c>status</c> of a <c>client.authentication.k8s.io</c> ExecCredential (v1 or v1beta1)
/// printed by a credential plugin: a token and/or a client certificate, and when it expires.
/// </summary>
public sealed record ExecCredential(string? Token, string? ClientCertificateData, string? ClientKeyData, DateTimeOffset? ExpirationTimestamp)
{
    /// <summary>Parses the plugin's standard output; says what is wrong when it is not an ExecCredential.</summary>
    public static ExecCredential Parse(string json, string command)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new KubeConfigException($"exec credential plugin '{command}' printed something that is not JSON ({e.Message}); it must print an ExecCredential object.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "ExecCredential")
            {
                throw new KubeConfigException($"exec credential plugin '{command}' must print an object with kind ExecCredential.");
            }
            var apiVersion = root.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (apiVersion is not ("client.authentication.k8s.io/v1" or "client.authentication.k8s.io/v1beta1"))
            {
                throw new KubeConfigException($"exec credential plugin '{command}' printed apiVersion '{apiVersion}'; supported: client.authentication.k8s.io/v1 and v1beta1.");
            }
            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                throw new KubeConfigException($"exec credential plugin '{command}' printed an ExecCredential without status.");
            }
            var token = String(status, "token");
            var cert = String(status, "clientCertificateData");
            var key = String(status, "clientKeyData");
            if (token is null && (cert is null || key is null))
            {
                throw new KubeConfigException($"exec credential plugin '{command}' returned neither status.token nor status.clientCertificateData with status.clientKeyData.");
            }
            DateTimeOffset? expires = String(status, "expirationTimestamp") is { } text
                ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal)
                : null;
            return new ExecCredential(token, cert, key, expires);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
