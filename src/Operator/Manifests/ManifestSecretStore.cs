using System.Text;
using System.Text.Json.Nodes;

namespace Kollect.Operator.Manifests;

/// <summary>
/// The Secrets found among local manifests, looked up by namespace and name for the CLI's sink
/// resolution (SPEC §8 <c>probe</c>, <c>export</c>). <c>data</c> is base64 as in the API;
/// <c>stringData</c> is plain text and wins over <c>data</c>, as the API server merges it.
/// A Secret without a namespace belongs to <c>default</c>.
/// </summary>
public sealed class ManifestSecretStore
{
    private readonly Dictionary<(string Namespace, string Name), Dictionary<string, byte[]>> _secrets = [];

    /// <summary>Problems with Secret documents (bad base64), naming the Secret and key, never a value.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Adds every Secret among the documents; other documents are ignored.</summary>
    public void AddRange(IEnumerable<ManifestDocument> documents)
    {
        foreach (var document in documents.Where(d => d.IsSecret && d.Name is { Length: > 0 }))
        {
            var ns = document.Namespace is { Length: > 0 } given ? given : "default";
            var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            if (document.Content["data"] is JsonObject data)
            {
                foreach (var (key, value) in data)
                {
                    try
                    {
                        values[key] = Convert.FromBase64String(value is JsonValue v && v.TryGetValue<string>(out var text) ? text : "");
                    }
                    catch (FormatException)
                    {
                        Problems.Add($"{document}: data.{key}: is not valid base64; use stringData for plain text");
                    }
                }
            }

            if (document.Content["stringData"] is JsonObject stringData)
            {
                foreach (var (key, value) in stringData)
                {
                    values[key] = Encoding.UTF8.GetBytes(value is JsonValue v && v.TryGetValue<string>(out var text) ? text : "");
                }
            }

            _secrets[(ns, document.Name!)] = values;
        }
    }

    /// <summary>
    /// The Secret as the API server stores it, for collecting it from a manifest like a live one:
    /// <c>stringData</c> merged into <c>data</c> (base64, winning over <c>data</c>) and removed, and
    /// <c>type</c> defaulted to <c>Opaque</c>. A copy; <paramref name="secret"/> is not changed.
    /// </summary>
    public static JsonObject AsStored(JsonObject secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var stored = secret.DeepClone().AsObject();
        if (stored["stringData"] is JsonObject stringData)
        {
            var data = stored["data"] as JsonObject ?? [];
            stored.Remove("data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value is JsonValue v && v.TryGetValue<string>(out var text) ? text : ""));
            }
            stored.Remove("stringData");
            stored["data"] = data;
        }
        if (stored["type"] is null)
        {
            stored["type"] = "Opaque";
        }
        return stored;
    }

    /// <summary>The data of the Secret, or null when no manifest defines it.</summary>
    public IReadOnlyDictionary<string, byte[]>? Find(string @namespace, string name) =>
        _secrets.TryGetValue((@namespace, name), out var values) ? values : null;
}
