using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>JSON patch (RFC 6902, <c>application/json-patch+json</c>): add, remove, replace, move, copy, test.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiError.BadRequest("json patch must be an array of operations");
        }
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operationNode in operations)
        {
            if (operationNode is not JsonObject operation)
            {
                throw ApiError.BadRequest("json patch operation must be an object");
            }
            var op = (string?)operation["op"] ?? throw ApiError.BadRequest("json patch operation lacks \"op\"");
            var path = (string?)operation["path"] ?? throw ApiError.BadRequest($"json patch operation \"{op}\" lacks \"path\"");
            switch (op)
            {
                case "add":
                    Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                {
                    var from = (string?)operation["from"] ?? throw ApiError.BadRequest("move lacks \"from\"");
                    var value = Remove(root, from);
                    Add(root, path, value);
                    break;
                }
                case "copy":
                {
                    var from = (string?)operation["from"] ?? throw ApiError.BadRequest("copy lacks \"from\"");
                    Add(root, path, Resolve(root, from)?.DeepClone());
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), operation["value"]))
                    {
                        throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: test operation failed at {path}");
                    }
                    break;
                default:
                    throw ApiError.BadRequest($"Unexpected kind: {op}");
            }
        }
        return root["doc"]!;
    }

    private static (JsonNode Parent, string Token) Locate(JsonObject root, string path)
    {
        var tokens = new List<string> { "doc" };
        if (path.Length > 0)
        {
            if (path[0] != '/')
            {
                throw ApiError.BadRequest($"json patch path \"{path}\" must start with /");
            }
            tokens.AddRange(path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));
        }
        JsonNode current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Child(current, tokens[i]) ?? throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: missing path \"{path}\"");
        }
        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o[token],
        JsonArray a when int.TryParse(token, out var index) && index >= 0 && index < a.Count => a[index],
        _ => null,
    };

    private static JsonNode? Resolve(JsonObject root, string path)
    {
        var (parent, token) = Locate(root, path);
        return Child(parent, token);
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, token) = Locate(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a when token == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(token, out var index) && index >= 0 && index <= a.Count:
                a.Insert(index, value);
                break;
            default:
                throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: cannot add at \"{path}\"");
        }
    }

    private static JsonNode? Remove(JsonObject root, string path)
    {
        var (parent, token) = Locate(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
            {
                var value = o[token];
                o.Remove(token);
                return value;
            }
            case JsonArray a when int.TryParse(token, out var index) && index >= 0 && index < a.Count:
            {
                var value = a[index];
                a.RemoveAt(index);
                return value;
            }
            default:
                throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: remove operation does not apply: doc is missing path: \"{path}\": missing value");
        }
    }
}
