using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Tests.Unit.Crds;

namespace Kollect.Tests.Unit.Generators;

/// <summary>Reads manifests as the API server sees them (YAML → JSON) and runs the generated checks.</summary>
internal static class ManifestTestSupport
{
    public static JsonObject Parse(string yaml) => YamlJson.ParseObject(yaml);

    public static KollectKind KindOf(JsonObject manifest) =>
        KollectKinds.Find((string)manifest["apiVersion"]!, (string)manifest["kind"]!)
        ?? throw new InvalidOperationException($"No kind {manifest["apiVersion"]}/{manifest["kind"]}.");

    public static List<FieldError> Validate(JsonObject manifest)
    {
        using var document = JsonDocument.Parse(manifest.ToJsonString());
        var errors = new List<FieldError>();
        KindOf(manifest).Validate(document.RootElement, errors);
        return errors;
    }

    public static List<string> Messages(string yaml) => Validate(Parse(yaml)).Select(e => e.ToString()).ToList();
}
