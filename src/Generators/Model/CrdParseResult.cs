namespace Kollect.Generators.Model;

/// <summary>Everything parsed from one CRD file: its kinds (one per version) and its diagnostics.</summary>
internal sealed record CrdParseResult(string FilePath, EquatableArray<KindModel> Kinds, EquatableArray<DiagnosticInfo> Diagnostics);
