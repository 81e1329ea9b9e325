using System.Collections.Generic;
using Kollect.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kollect.Generators.Parsing;

/// <summary>Diagnostics and the file they belong to, shared by the parsers of one CRD file.</summary>
internal sealed class ParseContext
{
    private readonly List<DiagnosticInfo> _diagnostics = new();

    public ParseContext(string filePath) => FilePath = filePath;

    public string FilePath { get; }

    public IReadOnlyList<DiagnosticInfo> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Count > 0;

    public void Report(string id, YamlNode? node, string pointer, string detail) =>
        Report(id, node is null ? LocationInfo.FileStart(FilePath) : LocationOf(node.Start, node.End), pointer, detail);

    public void Report(string id, LocationInfo location, string pointer, string detail) =>
        _diagnostics.Add(new DiagnosticInfo(id, location, new[] { FilePath, pointer.Length == 0 ? "/" : pointer, detail }.ToEquatableArray()));

    public LocationInfo LocationOf(Mark start, Mark end) => new(
        FilePath,
        (int)start.Index,
        (int)(end.Index - start.Index),
        (int)start.Line - 1,
        (int)start.Column - 1,
        (int)end.Line - 1,
        (int)end.Column - 1);
}
