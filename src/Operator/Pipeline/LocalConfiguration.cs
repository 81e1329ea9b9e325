using System.Text.Json.Nodes;
using Kollect.Operator.Manifests;
using Kollect.Operator.Validation;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// The Kollect objects and Secrets of <c>kollect export --config DIR</c> (SPEC §8), validated and
/// defaulted exactly as the API server and the operator would see them. Namespaced objects
/// without a namespace belong to <c>default</c>, as <c>kubectl apply</c> puts them there.
/// </summary>
public sealed class LocalConfiguration
{
    private LocalConfiguration(IReadOnlyDictionary<string, List<JsonObject>> byKind, ManifestSecretStore secrets, IReadOnlyList<ManifestDocument> secretDocuments)
    {
        ByKind = byKind;
        Secrets = secrets;
        SecretDocuments = secretDocuments;
    }

    /// <summary>Defaulted objects by kind name (<c>KollectTarget</c>, ...), in file order.</summary>
    public IReadOnlyDictionary<string, List<JsonObject>> ByKind { get; }

    /// <summary>The Secrets sinks may use: those of the configuration, and (<see cref="ObjectSource.FromManifests"/>) those among the objects.</summary>
    public ManifestSecretStore Secrets { get; }

    /// <summary>The Secret manifests of the configuration; targets may collect them too, as they would in a cluster.</summary>
    public IReadOnlyList<ManifestDocument> SecretDocuments { get; }

    public IReadOnlyList<JsonObject> Of(string kind) => ByKind.TryGetValue(kind, out var list) ? list : [];

    /// <summary>
    /// Reads and validates <paramref name="paths"/>; returns the configuration, or the problems
    /// (each naming the file, document and field) that make it unusable.
    /// </summary>
    public static (LocalConfiguration? Configuration, IReadOnlyList<string> Problems) Load(IReadOnlyList<string> paths, SemanticValidator semantic)
    {
        var problems = new List<string>();
        var read = ManifestReader.Read(paths);
        problems.AddRange(read.Errors.Select(e => e.ToString()));
        var validator = new ManifestValidator(semantic);
        var byKind = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in read.Documents)
        {
            var validation = validator.Validate(document);
            if (validation.Skipped)
            {
                continue;
            }
            if (!validation.IsValid || validation.Defaulted is null || validation.Kind is null)
            {
                problems.AddRange(validation.Errors.Select(p => $"{document}: {p}"));
                continue;
            }
            var obj = validation.Defaulted;
            if (validation.Kind.Namespaced && obj["metadata"] is JsonObject metadata && string.IsNullOrEmpty((string?)metadata["namespace"]))
            {
                metadata["namespace"] = "default";
            }
            var identity = $"{validation.Kind.Kind}/{obj["metadata"]?["namespace"]}/{obj["metadata"]?["name"]}";
            if (!seen.Add(identity))
            {
                problems.Add($"{document}: {validation.Kind.Kind} {Describe(obj)} is defined twice; each object may appear once");
                continue;
            }
            if (!byKind.TryGetValue(validation.Kind.Kind, out var list))
            {
                byKind[validation.Kind.Kind] = list = [];
            }
            list.Add(obj);
        }
        var secrets = new ManifestSecretStore();
        secrets.AddRange(read.Documents);
        problems.AddRange(secrets.Problems);
        if (read.Documents.Count == 0 && read.Errors.Count == 0)
        {
            problems.Add($"no manifests found in {string.Join(", ", paths)}");
        }
        return problems.Count > 0
            ? (null, problems)
            : (new LocalConfiguration(byKind, secrets, read.Documents.Where(d => d.IsSecret && d.Name is { Length: > 0 }).ToList()), problems);
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
    public static string Describe(JsonObject obj) =>
        (string?)obj["metadata"]?["namespace"] is { Length: > 0 } ns ? $"{ns}/{obj["metadata"]?["name"]}" : $"{obj["metadata"]?["name"]}";
}
