using Microsoft.CodeAnalysis;

namespace Kollect.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. IDs are stable (listed in AnalyzerReleases.*.md); all are
/// errors because a CRD the generator cannot model must fail the build, naming the file and the
/// JSON Pointer of the node (CONVENTIONS §5). Arguments: {0} file, {1} JSON Pointer, {2} detail.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Kollect.Generators";

    public static readonly DiagnosticDescriptor GeneratorFailure = Create(
        "KOLGEN000",
        "The Kollect API generator failed",
        "The Kollect API generator failed on '{0}' at '{1}': {2}. Please report this with the CRD file.");

    public static readonly DiagnosticDescriptor YamlSyntaxError = Create(
        "KOLGEN001",
        "CRD file is not valid YAML",
        "'{0}' is not valid YAML at {1}: {2}");

    public static readonly DiagnosticDescriptor NotACrd = Create(
        "KOLGEN002",
        "File is not a usable CustomResourceDefinition",
        "'{0}' at '{1}' is not a usable CustomResourceDefinition: {2}");

    public static readonly DiagnosticDescriptor UnsupportedType = Create(
        "KOLGEN003",
        "Unsupported schema type",
        "'{0}' at '{1}': unsupported schema type: {2}");

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Create(
        "KOLGEN004",
        "Unsupported schema construct",
        "'{0}' at '{1}': unsupported schema construct: {2}");

    public static readonly DiagnosticDescriptor NameCollision = Create(
        "KOLGEN005",
        "Generated name collision",
        "'{0}' at '{1}': {2}");

    public static readonly DiagnosticDescriptor BadWellKnownTypes = Create(
        "KOLGEN006",
        "Bad well-known-types annotation",
        "'{0}' at '{1}': bad codegen.kollect.dev/well-known-types annotation: {2}");

    public static DiagnosticDescriptor? Find(string id) => id switch
    {
        "KOLGEN000" => GeneratorFailure,
        "KOLGEN001" => YamlSyntaxError,
        "KOLGEN002" => NotACrd,
        "KOLGEN003" => UnsupportedType,
        "KOLGEN004" => UnsupportedConstruct,
        "KOLGEN005" => NameCollision,
        "KOLGEN006" => BadWellKnownTypes,
        _ => null,
    };

    private static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
