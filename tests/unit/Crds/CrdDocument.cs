using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Crds;

/// <summary>A CustomResourceDefinition file read into JSON, with accessors for the parts the tests inspect.</summary>
public sealed class CrdDocument(string path, JsonObject root)
{
    public const string WellKnownTypesAnnotation = "codegen.kollect.dev/well-known-types";

    public string Path { get; } = path;

    public JsonObject Root { get; } = root;

    public JsonObject Spec => Root["spec"] as JsonObject ?? throw Missing("spec");

    public JsonObject Names => Spec["names"] as JsonObject ?? throw Missing("spec.names");

    public JsonArray Versions => Spec["versions"] as JsonArray ?? throw Missing("spec.versions");

    /// <summary>The single served version (SPEC §2: only v1alpha1).</summary>
    public JsonObject Version => Versions.Count == 1 && Versions[0] is JsonObject only ? only : throw Missing("exactly one entry in spec.versions");

    public JsonObject OpenApiSchema => Version["schema"]?["openAPIV3Schema"] as JsonObject ?? throw Missing("spec.versions[0].schema.openAPIV3Schema");

    public JsonObject SpecSchema => OpenApiSchema["properties"]?["spec"] as JsonObject ?? throw Missing("the spec property schema");

    public JsonObject StatusSchema => OpenApiSchema["properties"]?["status"] as JsonObject ?? throw Missing("the status property schema");

    public string? Annotation(string name) => Root["metadata"]?["annotations"]?[name]?.GetValue<string>();

    private InvalidDataException Missing(string what) => new($"{Path}: missing {what}.");
}
