namespace Kollect.Generators.Model;

/// <summary>A place in a CRD file, as plain numbers (a Roslyn Location would break caching).</summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static LocationInfo FileStart(string filePath) => new(filePath, 0, 0, 0, 0, 0, 0);
}
