using System.Text.Json.Nodes;

namespace Kollect.Operator.Manifests;

/// <summary>
/// One object read from a manifest file: a YAML document, a JSON object, or one item of a
/// <c>kind: List</c>. <see cref="ToString"/> names the object but never prints its content,
/// because documents may be Secrets (SPEC §6.5).
/// </summary>
public sealed class ManifestDocument
{
    public ManifestDocument(string file, int index, int documentsInFile, int line, JsonNode content)
    {
        File = file;
        Index = index;
        DocumentsInFile = documentsInFile;
        Line = line;
        Content = content;
    }

    /// <summary>The path the document was read from, as given or as found under a directory.</summary>
    public string File { get; }

    /// <summary>1-based position among the non-empty documents (or List items) of <see cref="File"/>.</summary>
    public int Index { get; }

    /// <summary>1-based line where the document's content starts.</summary>
    public int Line { get; }

    /// <summary>How many non-empty documents (or List items) <see cref="File"/> holds.</summary>
    public int DocumentsInFile { get; }

    /// <summary>True when the file holds more than one document, so a position is worth printing.</summary>
    public bool IsOneOfSeveral => DocumentsInFile > 1;

    /// <summary>The document as JSON; usually an object, but a malformed manifest may hold anything.</summary>
    public JsonNode Content { get; }

    public string? ApiVersion => StringProperty(Content, "apiVersion");

    public string? Kind => StringProperty(Content, "kind");

    public string? Name => StringProperty(Content?["metadata"], "name");

    public string? Namespace => StringProperty(Content?["metadata"], "namespace");

    /// <summary>Core <c>v1/Secret</c>: used by export and probe for credentials, never printed.</summary>
    public bool IsSecret => ApiVersion == "v1" && Kind == "Secret";

    /// <summary>The file with the document position when the file holds several (<c>a.yaml:2</c>).</summary>
    public string Location => IsOneOfSeveral ? $"{File}:{Index}" : File;

    /// <summary><c>file[:document] Kind namespace/name</c>, the prefix of every <c>kollect validate</c> line; no namespace when the manifest has none.</summary>
    public override string ToString()
    {
        var ns = Namespace is { Length: > 0 } value ? value + "/" : "";
        return $"{Location} {Kind ?? "(no kind)"} {ns}{Name ?? "(no name)"}";
    }

    private static string? StringProperty(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : null;
}
