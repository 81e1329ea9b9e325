using System.Globalization;
using Kollect.Api;

namespace Kollect.Operator.Validation;

/// <summary>Field checks shared by several kinds: names, durations, byte caps, Secret references.</summary>
internal static class CommonRules
{
    /// <summary>Upper bound for debounce intervals (SPEC §4): a day; longer values are almost certainly typos.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(24);

    /// <summary>Checks a name that must be a DNS-1123 subdomain (an object name); reports an empty one as required.</summary>
    public static void CheckObjectName(string name, string path, string what, ValidationReport report)
    {
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
    public static void CheckNamespaceName(string name, string path, ValidationReport report)
    {
        if (!KubernetesNames.IsDns1123Label(name))
        {
            report.Error(path, FieldMessages.Invalid(name, KubernetesNames.Dns1123LabelRule));
        }
    }

    /// <summary>An interval from 0s to 24h; the message quotes the duration as it was written.</summary>
    public static void CheckInterval(Duration? interval, string path, ValidationReport report)
    {
        if (interval is { } duration && (duration.ToTimeSpan() < TimeSpan.Zero || duration.ToTimeSpan() > MaxInterval))
        {
            report.Error(path, FieldMessages.Invalid(duration.Written, "must be between 0s and 24h"));
        }
    }

    /// <summary>Checks a byte ceiling: positive and at most the operator cap (SPEC §2.2).</summary>
    public static void CheckMaxExportBytes(long? value, string path, SemanticValidationOptions options, ValidationReport report)
    {
        if (value is not { } bytes)
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
    public static void CheckSecretRef(string? name, string? secretNamespace, string path, string? objectNamespace, ValidationReport report)
    {
        if (name is not null)
        {
            CheckObjectName(name, path + ".name", "a Secret", report);
        }

        if (secretNamespace is null)
        {
            return;
        }

        CheckNamespaceName(secretNamespace, path + ".namespace", report);
        if (secretNamespace.Length > 0 && objectNamespace is not null && secretNamespace != objectNamespace)
        {
            report.Warning(path + ".namespace", $"the Secret is in another namespace ({secretNamespace}); the operator resolves it only when started with --allow-cross-namespace-secrets");
        }
    }

    /// <summary>
    /// Why a <c>tls.caBundle</c> is unusable, or null: it must be base64 of PEM text holding at least
    /// one certificate. The value itself is never echoed.
    /// </summary>
    public static string? CheckCaBundle(string bundle)
    {
        var buffer = new byte[(bundle.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(bundle, buffer, out var written))
        {
            return "caBundle must be base64-encoded PEM (e.g. the output of base64 -w0 ca.crt)";
        }

        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, written);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? null
            : "caBundle decodes, but not to a PEM certificate (-----BEGIN CERTIFICATE-----); base64-encode the PEM file itself";
    }
}
