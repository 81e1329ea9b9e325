namespace Kollect.Operator.Manifests;

/// <summary>Input that could not be read: a missing file, or a syntax error at a line (1-based; 0 when unknown).</summary>
public sealed record ManifestReadError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}: line {Line}: {Message}" : $"{File}: {Message}";
}
