using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>[n]</c>, <c>[*]</c> and
/// <c>[?(@.key=="value")]</c>. Returns every match.
/// </summary>
public static partial class SimpleJsonPath
{
    public static List<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        foreach (Match step in StepPattern().Matches(path.Trim().TrimStart('{').TrimEnd('}').TrimStart('$')))
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (step.Groups["field"].Success)
                {
                    if (node is JsonObject o && o.TryGetPropertyValue(step.Groups["field"].Value, out var child))
                    {
                        next.Add(child);
                    }
                }
                else if (node is JsonArray array)
                {
                    if (step.Groups["index"].Success)
                    {
                        var index = int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                        if (index < 0)
                        {
                            index += array.Count;
                        }
                        if (index >= 0 && index < array.Count)
                        {
                            next.Add(array[index]);
                        }
                    }
                    else if (step.Groups["star"].Success)
                    {
                        next.AddRange(array);
                    }
                    else if (step.Groups["fkey"].Success)
                    {
                        var key = step.Groups["fkey"].Value;
                        var value = step.Groups["fvalue"].Value;
                        next.AddRange(array.Where(e => e is JsonObject eo && eo[key] is JsonValue v && v.ToString() == value));
                    }
                }
            }
            current = next;
        }
        return current;
    }

    [GeneratedRegex(@"\.(?<field>[A-Za-z0-9_\-/]+)|\[(?<index>-?\d+)\]|\[(?<star>\*)\]|\[\?\(@\.(?<fkey>[A-Za-z0-9_\-]+)\s*==\s*[""'](?<fvalue>[^""']*)[""']\)\]")]
    private static partial Regex StepPattern();
}
