using System;
using System.IO;
using System.Linq;
using Kollect.Generators.Diagnostics;
using Kollect.Generators.Emitting;
using Kollect.Generators.Model;
using Kollect.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Kollect.Generators;

/// <summary>
/// Turns <c>crds/*.yaml</c> (AdditionalFiles) into the Kollect API: models, GVK metadata,
/// validation and defaulting (SPEC §2, issue #3). This file only wires the pipeline; parsing,
/// the model and emitting live in their own folders.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KollectApiGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, asserted by the incrementality tests.</summary>
    public static class Steps
    {
        public const string CrdFiles = nameof(CrdFiles);
        public const string ParsedCrds = nameof(ParsedCrds);
        public const string KindEntries = nameof(KindEntries);
        public const string AllKindEntries = nameof(AllKindEntries);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var crdFiles = context.AdditionalTextsProvider
            .Where(static text => IsCrdFile(text.Path))
            .WithTrackingName(Steps.CrdFiles);

        var parsed = crdFiles
            .Select(static (text, cancellationToken) => ParseSafely(text, cancellationToken))
            .WithTrackingName(Steps.ParsedCrds);

        var entries = parsed
            .Select(static (result, _) => result.Kinds
                .Select(kind => new KindEntry(kind.FilePath, kind.ApiVersion, kind.Kind, kind.Namespace, kind.TypeNames, LocationInfo.FileStart(kind.FilePath)))
                .ToEquatableArray())
            .WithTrackingName(Steps.KindEntries);

        var allEntries = entries
            .Collect()
            .Select(static (all, _) => all.SelectMany(e => e).ToEquatableArray())
            .WithTrackingName(Steps.AllKindEntries);

        context.RegisterSourceOutput(parsed, static (output, result) => EmitKinds(output, result));
        context.RegisterSourceOutput(allEntries, static (output, all) => EmitKindsList(output, all));
    }

    /// <summary>CRDs are the YAML files directly in a folder named <c>crds</c>.</summary>
    private static bool IsCrdFile(string path)
    {
        var extension = Path.GetExtension(path);
        if (!string.Equals(extension, ".yaml", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(extension, ".yml", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var folder = Path.GetFileName(Path.GetDirectoryName(path) ?? string.Empty);
        return string.Equals(folder, "crds", StringComparison.Ordinal);
    }

    private static CrdParseResult ParseSafely(AdditionalText text, System.Threading.CancellationToken cancellationToken)
    {
        try
        {
            var content = text.GetText(cancellationToken)?.ToString() ?? string.Empty;
            return CrdParser.Parse(text.Path, content, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return Failure(text.Path, exception);
        }
    }

    private static CrdParseResult Failure(string path, Exception exception) => new(
        path,
        EquatableArray<KindModel>.Empty,
        new[] { new DiagnosticInfo("KOLGEN000", LocationInfo.FileStart(path), new[] { path, "/", exception.GetType().Name + ": " + exception.Message }.ToEquatableArray()) }.ToEquatableArray());

    private static void EmitKinds(SourceProductionContext output, CrdParseResult result)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            output.ReportDiagnostic(ToDiagnostic(diagnostic));
        }

        foreach (var kind in result.Kinds)
        {
            try
            {
                output.AddSource(kind.HintName, SourceText.From(KindEmitter.Emit(kind), System.Text.Encoding.UTF8));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                output.ReportDiagnostic(ToDiagnostic(Failure(result.FilePath, exception).Diagnostics[0]));
            }
        }
    }

    private static void EmitKindsList(SourceProductionContext output, EquatableArray<KindEntry> entries)
    {
        // Two CRDs must not generate the same type (same kind, or path-derived names that meet).
        var owners = new System.Collections.Generic.Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries.OrderBy(e => e.FilePath, StringComparer.Ordinal))
        {
            foreach (var typeName in entry.TypeNames.Concat(new[] { entry.Kind }).Distinct())
            {
                var qualified = entry.Namespace + "." + typeName;
                if (owners.TryGetValue(qualified, out var owner) && owner != entry.FilePath)
                {
                    output.ReportDiagnostic(ToDiagnostic(new DiagnosticInfo(
                        "KOLGEN005",
                        entry.Location,
                        new[] { entry.FilePath, "/", $"the generated type '{qualified}' is also generated from '{owner}'; kinds and their path-derived type names must be unique" }.ToEquatableArray())));
                }
                else
                {
                    owners[qualified] = entry.FilePath;
                }
            }
        }

        output.AddSource(KindsListEmitter.HintName, SourceText.From(KindsListEmitter.Emit(entries), System.Text.Encoding.UTF8));
    }

    private static Diagnostic ToDiagnostic(DiagnosticInfo info)
    {
        var descriptor = DiagnosticDescriptors.Find(info.Id) ?? DiagnosticDescriptors.GeneratorFailure;
        var where = info.Location;
        var location = Location.Create(
            where.FilePath,
            new TextSpan(where.Start, where.Length),
            new LinePositionSpan(new LinePosition(where.StartLine, where.StartColumn), new LinePosition(where.EndLine, where.EndColumn)));
        return Diagnostic.Create(descriptor, location, info.Arguments.Cast<object>().ToArray());
    }
}
