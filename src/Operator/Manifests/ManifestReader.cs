using System.Text.Json.Nodes;

namespace Kollect.Operator.Manifests;

/// <summary>
/// Reads manifests from files and directories (SPEC §8: <c>validate -f</c>, <c>export --config</c>,
/// <c>probe</c>). A directory is searched recursively for <c>*.yaml</c>, <c>*.yml</c> and
/// <c>*.json</c>, in ordinal path order so results do not depend on the file system. Each file may
/// hold several YAML documents, or JSON; a <c>kind: List</c> (or <c>…List</c>) with <c>items</c> is
/// expanded into its items. Empty and null documents are skipped. <c>-</c> reads standard input.
/// </summary>
public static class ManifestReader
{
    public const string StandardInput = "-";

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Reads every path; problems with one file are reported and do not stop the others.</summary>
    public static ManifestReadResult Read(IEnumerable<string> paths, TextReader? standardInput = null)
    {
        var documents = new List<ManifestDocument>();
        var errors = new List<ManifestReadError>();
        foreach (var path in paths)
        {
            if (path == StandardInput)
            {
                ReadText("<stdin>", (standardInput ?? Console.In).ReadToEnd(), documents, errors);
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in FindManifestFiles(path))
                {
                    ReadFile(file, documents, errors);
                }
            }
            else if (File.Exists(path))
            {
                ReadFile(path, documents, errors);
            }
            else
            {
                errors.Add(new ManifestReadError(path, 0, "no such file or directory"));
            }
        }

        return new ManifestReadResult(documents, errors);
    }

    /// <summary>Reads manifest text (for tests and callers that already hold the content).</summary>
    public static ManifestReadResult ReadText(string name, string text)
    {
        var documents = new List<ManifestDocument>();
        var errors = new List<ManifestReadError>();
        ReadText(name, text, documents, errors);
        return new ManifestReadResult(documents, errors);
    }

    /// <summary>Manifest files under <paramref name="directory"/>, recursively, ordinally sorted.</summary>
    public static IReadOnlyList<string> FindManifestFiles(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(file => Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static void ReadFile(string file, List<ManifestDocument> documents, List<ManifestReadError> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ManifestReadError(file, 0, "cannot read the file: " + e.Message));
            return;
        }

        ReadText(file, text, documents, errors);
    }

    private static void ReadText(string file, string text, List<ManifestDocument> documents, List<ManifestReadError> errors)
    {
        List<YamlManifestParser.ParsedDocument> parsed;
        try
        {
            parsed = YamlManifestParser.Parse(text);
        }
        catch (ManifestSyntaxException e)
        {
            errors.Add(new ManifestReadError(file, e.Line, e.Message));
            return;
        }

        var found = new List<(int Line, JsonNode Content)>();
        foreach (var document in parsed)
        {
            if (document.Root is null)
            {
                continue;
            }

            if (IsList(document.Root, out var items))
            {
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        found.Add((LineOf(item, document), item));
                    }
                }
            }
            else
            {
                found.Add((document.Line, document.Root));
            }
        }

        for (var i = 0; i < found.Count; i++)
        {
            var content = found[i].Content;
            content.Parent?.AsArray().Remove(content);
            documents.Add(new ManifestDocument(file, i + 1, found.Count, found[i].Line, content));
        }
    }

    private static int LineOf(JsonNode item, YamlManifestParser.ParsedDocument document) =>
        document.ObjectLines.TryGetValue(item, out var line) ? line : document.Line;

    private static bool IsList(JsonNode root, out JsonArray items)
    {
        items = null!;
        if (root is JsonObject obj &&
            obj["kind"] is JsonValue kind && kind.TryGetValue<string>(out var kindName) &&
            kindName.EndsWith("List", StringComparison.Ordinal) &&
            obj["items"] is JsonArray array)
        {
            items = array;
            return true;
        }

        return false;
    }
}
