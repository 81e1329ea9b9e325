using System.Text;

namespace Kollect.Generators.Parsing;

/// <summary>Turns JSON names and API versions into C# identifiers, deterministically.</summary>
internal static class Naming
{
    /// <summary>
    /// <c>secretRef</c> → <c>SecretRef</c>, <c>SCRAM-SHA-256</c> → <c>SCRAMSHA256</c>,
    /// <c>perResource</c> → <c>PerResource</c>; a leading digit gets a <c>V</c> prefix. Returns an
    /// empty string when the name has no letter or digit.
    /// </summary>
    public static string ToPascal(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        var upperNext = true;
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c) && c < 128)
            {
                builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            else
            {
                upperNext = true;
            }
        }

        if (builder.Length > 0 && char.IsDigit(builder[0]))
        {
            builder.Insert(0, 'V');
        }

        return builder.ToString();
    }

    /// <summary><c>v1alpha1</c> → <c>V1Alpha1</c>: the first letter and every letter after a digit upper-cased.</summary>
    public static string VersionToNamespacePart(string version)
    {
        var builder = new StringBuilder(version.Length);
        for (var i = 0; i < version.Length; i++)
        {
            var c = version[i];
            var upper = i == 0 || char.IsDigit(version[i - 1]);
            builder.Append(upper ? char.ToUpperInvariant(c) : c);
        }

        return ToPascal(builder.ToString());
    }

    /// <summary>Escapes one JSON Pointer reference token (RFC 6901).</summary>
    public static string EscapePointerToken(string token) => token.Replace("~", "~0").Replace("/", "~1");
}
