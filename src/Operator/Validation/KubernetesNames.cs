using System.Text.RegularExpressions;

namespace Kollect.Operator.Validation;

/// <summary>Kubernetes name syntax: DNS-1123 labels and subdomains, label keys (qualified names) and label values.</summary>
public static partial class KubernetesNames
{
    public const string Dns1123LabelRule = "must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";

    public const string Dns1123SubdomainRule = "must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";

    public static bool IsDns1123Label(string value) => value.Length is > 0 and <= 63 && Dns1123Label().IsMatch(value);

    public static bool IsDns1123Subdomain(string value) => value.Length is > 0 and <= 253 && Dns1123Subdomain().IsMatch(value);

    /// <summary>Checks a label key (<c>[prefix/]name</c>); returns what is wrong, or null.</summary>
    public static string? CheckQualifiedName(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = value;
        if (slash >= 0)
        {
            var prefix = value[..slash];
            name = value[(slash + 1)..];
            if (prefix.Length == 0)
            {
                return "the prefix before '/' must not be empty";
            }

            if (!IsDns1123Subdomain(prefix))
            {
                return "the prefix before '/' " + Dns1123SubdomainRule;
            }
        }

        if (name.Length == 0)
        {
            return "the name part must not be empty";
        }

        if (name.Length > 63 || !QualifiedNamePart().IsMatch(name))
        {
            return "the name part must be at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/my-key')";
        }

        return null;
    }

    /// <summary>Checks a label value (may be empty); returns what is wrong, or null.</summary>
    public static string? CheckLabelValue(string value) =>
        value.Length == 0 || (value.Length <= 63 && QualifiedNamePart().IsMatch(value))
            ? null
            : "a label value must be empty or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNamePart();
}
