using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Kollect.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kollect.Generators.Parsing;

/// <summary>
/// Reads one CRD file (YAML) into a <see cref="KindModel"/> per version. Never throws for bad input:
/// problems become diagnostics naming the file and the JSON Pointer.
/// </summary>
internal static class CrdParser
{
    public const string WellKnownTypesAnnotation = "codegen.kollect.dev/well-known-types";

    public static CrdParseResult Parse(string filePath, string text, CancellationToken cancellationToken)
    {
        var context = new ParseContext(filePath);
        var kinds = new List<KindModel>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            var where = $"line {exception.Start.Line}, column {exception.Start.Column}";
            context.Report("KOLGEN001", context.LocationOf(exception.Start, exception.End), where, InnermostMessage(exception));
            return Result(filePath, kinds, context);
        }

        if (stream.Documents.Count == 0)
        {
            context.Report("KOLGEN002", LocationInfo.FileStart(filePath), string.Empty, "the file is empty");
        }

        foreach (var document in stream.Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ParseDocument(document.RootNode, context, kinds, cancellationToken);
        }

        return Result(filePath, kinds, context);
    }

    private static CrdParseResult Result(string filePath, List<KindModel> kinds, ParseContext context) =>
        new(filePath, context.HasErrors ? EquatableArray<KindModel>.Empty : kinds.ToEquatableArray(), context.Diagnostics.ToEquatableArray());

    private static string InnermostMessage(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception.Message;
    }

    private static void ParseDocument(YamlNode rootNode, ParseContext context, List<KindModel> kinds, CancellationToken cancellationToken)
    {
        if (rootNode is not YamlMappingNode root)
        {
            context.Report("KOLGEN002", rootNode, string.Empty, "the document is not a mapping");
            return;
        }

        var apiVersion = Scalar(root, "apiVersion");
        var kind = Scalar(root, "kind");
        if (kind != "CustomResourceDefinition" || apiVersion is null || !apiVersion.StartsWith("apiextensions.k8s.io/", StringComparison.Ordinal))
        {
            context.Report("KOLGEN002", Child(root, "kind") ?? root, "/kind", $"expected apiVersion apiextensions.k8s.io/v1 and kind CustomResourceDefinition, found '{apiVersion}' '{kind}'");
            return;
        }

        var spec = RequiredMapping(root, "spec", "/spec", context);
        if (spec is null)
        {
            return;
        }

        var group = RequiredScalar(spec, "group", "/spec/group", context);
        var names = RequiredMapping(spec, "names", "/spec/names", context);
        var scope = RequiredScalar(spec, "scope", "/spec/scope", context);
        var versions = Child(spec, "versions") as YamlSequenceNode;
        if (versions is null)
        {
            context.Report("KOLGEN002", spec, "/spec/versions", "missing 'versions' list");
        }

        if (names is null || group is null || scope is null || versions is null)
        {
            return;
        }

        var kindName = RequiredScalar(names, "kind", "/spec/names/kind", context);
        var plural = RequiredScalar(names, "plural", "/spec/names/plural", context);
        if (kindName is null || plural is null)
        {
            return;
        }

        if (scope is not ("Namespaced" or "Cluster"))
        {
            context.Report("KOLGEN002", Child(spec, "scope"), "/spec/scope", $"scope must be Namespaced or Cluster, found '{scope}'");
            return;
        }

        var wellKnown = ReadWellKnownTypes(root, context);
        for (var index = 0; index < versions.Children.Count; index++)
        {
            var versionPointer = "/spec/versions/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (versions.Children[index] is not YamlMappingNode version)
            {
                context.Report("KOLGEN002", versions.Children[index], versionPointer, "a version must be a mapping");
                continue;
            }

            var versionName = RequiredScalar(version, "name", versionPointer + "/name", context);
            var schema = (Child(version, "schema") as YamlMappingNode) is { } schemaMapping ? Child(schemaMapping, "openAPIV3Schema") : null;
            if (schema is null)
            {
                context.Report("KOLGEN002", version, versionPointer + "/schema/openAPIV3Schema", "missing schema.openAPIV3Schema");
                continue;
            }

            if (versionName is null)
            {
                continue;
            }

            var parser = new SchemaParser(context, versionPointer + "/schema/openAPIV3Schema", wellKnown.Types, cancellationToken);
            var rootSchema = parser.ParseRoot(schema, kindName);
            foreach (var pointer in parser.UnresolvedWellKnownPointers)
            {
                context.Report("KOLGEN006", wellKnown.Node, pointer, $"the pointer does not resolve to a schema node of version {versionName}");
            }

            kinds.Add(new KindModel
            {
                FilePath = context.FilePath,
                Group = group,
                Version = versionName,
                Kind = kindName,
                Plural = plural,
                Singular = Scalar(names, "singular") ?? kindName.ToLowerInvariant(),
                ListKind = Scalar(names, "listKind") ?? kindName + "List",
                ShortNames = Strings(names, "shortNames").ToEquatableArray(),
                Categories = Strings(names, "categories").ToEquatableArray(),
                Namespaced = scope == "Namespaced",
                Namespace = "Kollect.Api." + Naming.VersionToNamespacePart(versionName),
                Root = rootSchema,
                TypeNames = parser.TypeNames.ToEquatableArray(),
            });
        }
    }

    private static (IReadOnlyDictionary<string, WellKnownType> Types, YamlNode? Node) ReadWellKnownTypes(YamlMappingNode root, ParseContext context)
    {
        var types = new Dictionary<string, WellKnownType>(StringComparer.Ordinal);
        var annotations = (Child(root, "metadata") as YamlMappingNode) is { } metadata ? Child(metadata, "annotations") as YamlMappingNode : null;
        if (annotations is null || Child(annotations, WellKnownTypesAnnotation) is not YamlScalarNode annotation)
        {
            return (types, null);
        }

        const string Pointer = "/metadata/annotations/codegen.kollect.dev~1well-known-types";
        YamlNode parsed;
        try
        {
            // The value is a JSON object; JSON is valid YAML, so the same reader parses it.
            var stream = new YamlStream();
            stream.Load(new StringReader(annotation.Value ?? string.Empty));
            parsed = stream.Documents.Count == 1 ? stream.Documents[0].RootNode : new YamlScalarNode(string.Empty);
        }
        catch (YamlException exception)
        {
            context.Report("KOLGEN006", annotation, Pointer, "the value is not a JSON object: " + InnermostMessage(exception));
            return (types, annotation);
        }

        if (parsed is not YamlMappingNode entries)
        {
            context.Report("KOLGEN006", annotation, Pointer, "the value must be a JSON object mapping JSON Pointers to SinkReference, LabelSelector, Condition or Duration");
            return (types, annotation);
        }

        foreach (var entry in entries.Children)
        {
            var pointer = (entry.Key as YamlScalarNode)?.Value ?? string.Empty;
            var typeName = (entry.Value as YamlScalarNode)?.Value ?? string.Empty;
            if (!pointer.StartsWith("/", StringComparison.Ordinal))
            {
                context.Report("KOLGEN006", annotation, pointer, "a JSON Pointer must start with '/' and be relative to schema.openAPIV3Schema");
            }
            else if (!SchemaParser.TryParseWellKnownName(typeName, out var type))
            {
                context.Report("KOLGEN006", annotation, pointer, $"'{typeName}' is not a well-known type; use SinkReference, LabelSelector, Condition or Duration");
            }
            else
            {
                types[pointer] = type;
            }
        }

        return (types, annotation);
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static string? RequiredScalar(YamlMappingNode mapping, string key, string pointer, ParseContext context)
    {
        var value = Scalar(mapping, key);
        if (string.IsNullOrEmpty(value))
        {
            context.Report("KOLGEN002", Child(mapping, key) ?? mapping, pointer, $"missing '{key}'");
            return null;
        }

        return value;
    }

    private static YamlMappingNode? RequiredMapping(YamlMappingNode mapping, string key, string pointer, ParseContext context)
    {
        if (Child(mapping, key) is YamlMappingNode child)
        {
            return child;
        }

        context.Report("KOLGEN002", Child(mapping, key) ?? mapping, pointer, $"missing '{key}' mapping");
        return null;
    }

    private static IEnumerable<string> Strings(YamlMappingNode mapping, string key) =>
        Child(mapping, key) is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty)
            : Enumerable.Empty<string>();
}
