using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Operator.Manifests;

namespace Kollect.Operator.Validation;

/// <summary>
/// Validates manifest documents the way the cluster and the operator would see them (SPEC §8
/// <c>kollect validate</c>): identify the kind, apply the CRD defaults, check the generated schema,
/// then the semantic rules. Documents of other API groups are skipped.
/// </summary>
public sealed class ManifestValidator(SemanticValidator semanticValidator)
{
    /// <summary>The API group every Kollect kind belongs to (SPEC §2).</summary>
    public const string KollectGroup = "kollect.dev";

    public ManifestValidation Validate(ManifestDocument document)
    {
        var report = new ValidationReport();
        if (document.Content is not JsonObject content)
        {
            report.Error("(document)", "Invalid value: a manifest must be an object with apiVersion, kind and metadata");
            return new ManifestValidation(document, null, false, report.Problems, null);
        }

        var apiVersion = document.ApiVersion;
        var kindName = document.Kind;
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kindName))
        {
            if (string.IsNullOrEmpty(apiVersion))
            {
                report.Error("apiVersion", FieldMessages.Required("every manifest needs an apiVersion such as kollect.dev/v1alpha1"));
            }

            if (string.IsNullOrEmpty(kindName))
            {
                report.Error("kind", FieldMessages.Required("every manifest needs a kind such as KollectEventSink"));
            }

            return new ManifestValidation(document, null, false, report.Problems, null);
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        if (group != KollectGroup)
        {
            return new ManifestValidation(document, null, true, [], null);
        }

        var kind = KollectKinds.Find(apiVersion, kindName);
        if (kind is null)
        {
            ReportUnknownKind(apiVersion, kindName, report);
            return new ManifestValidation(document, null, false, report.Problems, null);
        }

        var defaulted = (JsonObject)content.DeepClone();
        kind.ApplyDefaults(defaulted);
        var element = ManifestJson.ToElement(defaulted);
        var schemaErrors = new List<FieldError>();
        kind.Validate(element, schemaErrors);
        foreach (var error in schemaErrors)
        {
            report.Error(error.Path, error.Message);
        }

        var semantic = semanticValidator.Validate(kind.Kind, kind.Namespaced, element);
        foreach (var problem in semantic.Problems)
        {
            // One problem per field: where the schema already rejected a field (or a parent), the
            // semantic rule's view of it would only repeat the same mistake in other words.
            if (!schemaErrors.Any(error => Covers(error.Path, problem.Path)))
            {
                report.Add(problem);
            }
        }

        return new ManifestValidation(document, kind, false, report.Problems, defaulted);
    }

    private static bool Covers(string schemaPath, string path) =>
        path == schemaPath ||
        (path.StartsWith(schemaPath, StringComparison.Ordinal) && path[schemaPath.Length] is '.' or '[');

    private static void ReportUnknownKind(string apiVersion, string kindName, ValidationReport report)
    {
        var sameKind = KollectKinds.All.Where(k => k.Kind == kindName).Select(k => k.ApiVersion).ToList();
        if (sameKind.Count > 0)
        {
            report.Error("apiVersion", FieldMessages.NotSupported(apiVersion, sameKind));
            return;
        }

        var known = KollectKinds.All.Select(k => k.Kind).Order(StringComparer.Ordinal);
        report.Error("kind", FieldMessages.NotSupported(kindName, known));
    }
}
