namespace Kollect.Generators.Model;

/// <summary>A diagnostic to report, by descriptor id, location and message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo Location, EquatableArray<string> Arguments);
