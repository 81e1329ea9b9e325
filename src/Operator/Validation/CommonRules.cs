using System.Globalization;
using System.Text.Json;
using Kollect.Api;

namespace Kollect.Operator.Validation;

/// <summary>Field checks shared by several kinds: names, durations, byte caps, Secret references.</summary>
internal static class CommonRules
{
    /// <summary>Upper bound for debounce intervals (SPEC §4): a day; longer values are almost certainly typos.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(24);

    /// <summary>Checks a name that must be a DNS-1123 subdomain (an object name); reports an empty one as required.</summary>
    public static void CheckObjectName(JsonElement value, string path, string what, ValidationReport report)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var name = value.GetString()!;
        if (name.Length == 0)
        {
            report.Error(path, FieldMessages.Required($"must name {what}"));
        }
        else if (!KubernetesNames.IsDns1123Subdomain(name))
        {
            report.Error(path, FieldMessages.Invalid(name, KubernetesNames.Dns1123SubdomainRule));
        }
    }

    /// <summary>Checks a namespace name (DNS-1123 label).</summary>
    public static void CheckNamespaceName(JsonElement value, string path, ValidationReport report)
    {
        if (value.ValueKind == JsonValueKind.String && !KubernetesNames.IsDns1123Label(value.GetString()!))
        {
            report.Error(path, FieldMessages.Invalid(value.GetString()!, KubernetesNames.Dns1123LabelRule));
        }
    }

    /// <summary>Checks a Go duration between 0 and 24h.</summary>
    public static void CheckInterval(JsonElement value, string path, ValidationReport report)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var text = value.GetString()!;
        if (!Duration.TryParse(text, out var duration))
        {
            report.Error(path, FieldMessages.Invalid(text, "must be a duration such as 30s, 5m, 1h30m or 0 (units ns, us, ms, s, m, h)"));
        }
        else if (duration.ToTimeSpan() < TimeSpan.Zero || duration.ToTimeSpan() > MaxInterval)
        {
            report.Error(path, FieldMessages.Invalid(text, "must be between 0s and 24h"));
        }
    }

    /// <summary>Checks a byte ceiling: positive and at most the operator cap (SPEC §2.2).</summary>
    public static void CheckMaxExportBytes(JsonElement value, string path, SemanticValidationOptions options, ValidationReport report)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var bytes))
        {
            return;
        }

        if (bytes <= 0)
        {
            report.Error(path, FieldMessages.Invalid(bytes, "must be greater than 0"));
        }
        else if (bytes > options.MaxExportBytes)
        {
            report.Error(path, FieldMessages.Invalid(bytes, $"must be at most the operator's cap of {options.MaxExportBytes.ToString(CultureInfo.InvariantCulture)} bytes (--max-export-bytes)"));
        }
    }

    /// <summary>
    /// Checks a <c>{name, namespace}</c> Secret reference; a Secret in another namespace is a warning
    /// because the operator only follows it with <c>--allow-cross-namespace-secrets</c> (SPEC §6.5).
    /// </summary>
    public static void CheckSecretRef(JsonElement reference, string path, string? objectNamespace, ValidationReport report)
    {
        if (!JsonFields.IsObject(reference))
        {
            return;
        }

        CheckObjectName(JsonFields.Get(reference, "name"), path + ".name", "a Secret", report);
        var ns = JsonFields.Get(reference, "namespace");
        CheckNamespaceName(ns, path + ".namespace", report);
        if (ns.ValueKind == JsonValueKind.String && ns.GetString() is { Length: > 0 } secretNamespace &&
            objectNamespace is not null && secretNamespace != objectNamespace)
        {
            report.Warning(path + ".namespace", $"the Secret is in another namespace ({secretNamespace}); the operator resolves it only when started with --allow-cross-namespace-secrets");
        }
    }
}
