using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// One difference between two schemas: the JSON pointer of the schema node (relative to the compared
/// root), the keyword that differs (<see cref="WholeNode"/> when a property exists on one side only)
/// and both values.
/// </summary>
public sealed record SchemaDifference(string Pointer, string Keyword, SchemaChange Change, JsonNode? Ours, JsonNode? Golden)
{
    public const string WholeNode = "$node";

    public override string ToString() =>
        $"{(Pointer.Length == 0 ? "/" : Pointer)} [{Keyword}] {Change}: CRD {Show(Ours)}, golden {Show(Golden)}";

    private static string Show(JsonNode? value) => value is null ? "(absent)" : Truncate(value.ToJsonString());

    private static string Truncate(string text) => text.Length <= 160 ? text : text[..157] + "...";
}
