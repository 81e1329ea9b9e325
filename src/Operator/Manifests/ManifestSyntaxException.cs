namespace Kollect.Operator.Manifests;

/// <summary>A manifest that is not well-formed YAML/JSON, or that JSON cannot represent, at a 1-based line.</summary>
internal sealed class ManifestSyntaxException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
