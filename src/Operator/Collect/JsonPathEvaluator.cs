using System.Text.Json;

namespace Kollect.Operator.Collect;

/// <summary>Evaluates a <see cref="JsonPathExpression"/> over a JSON object (SPEC §3).</summary>
public static class JsonPathEvaluator
{
    /// <summary>No match ⇒ null; exactly one ⇒ that value; several ⇒ a list of the matches in document order.</summary>
    public static PathValue Evaluate(JsonPathExpression expression, JsonElement root)
    {
        var matches = Match(expression.Segments, root);
        return matches.Count switch
        {
            0 => PathValue.Null,
            1 => PathValue.FromElement(matches[0]),
            _ => PathValue.FromList(matches.ConvertAll(PathValue.FromElement)),
        };
    }

    private static List<JsonElement> Match(IReadOnlyList<JsonPathSegment> segments, JsonElement root)
    {
        var current = new List<JsonElement> { root };
        foreach (var segment in segments)
        {
            var next = new List<JsonElement>();
            foreach (var element in current)
            {
                Step(segment, element, next);
            }
            if (next.Count == 0)
            {
                return next;
            }
            current = next;
        }
        return current;
    }

    private static void Step(JsonPathSegment segment, JsonElement element, List<JsonElement> output)
    {
        switch (segment)
        {
            case JsonPathSegment.Field field:
                if (element.ValueKind == JsonValueKind.Object && JsonObjectLookup.TryGet(element, field.Name, out var value))
                {
                    output.Add(value);
                }
                break;
            case JsonPathSegment.Index index:
                if (element.ValueKind == JsonValueKind.Array)
                {
                    var length = element.GetArrayLength();
                    var position = index.Value < 0 ? length + index.Value : index.Value;
                    if (position >= 0 && position < length)
                    {
                        output.Add(element[position]);
                    }
                }
                break;
            case JsonPathSegment.Wildcard:
                if (element.ValueKind == JsonValueKind.Array)
                {
                    output.AddRange(element.EnumerateArray());
                }
                else if (element.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in element.EnumerateObject())
                    {
                        output.Add(property.Value);
                    }
                }
                break;
            case JsonPathSegment.Filter filter:
                if (element.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in element.EnumerateArray())
                    {
                        if (Holds(filter, item))
                        {
                            output.Add(item);
                        }
                    }
                }
                break;
        }
    }

    /// <summary>
    /// A filter holds for an element when any value its relative path reaches satisfies the
    /// comparison. A missing path satisfies nothing, not even <c>!=</c> (kubectl skips such
    /// elements as well); values of different JSON types are unequal and unordered.
    /// </summary>
    private static bool Holds(JsonPathSegment.Filter filter, JsonElement item)
    {
        foreach (var match in Match(filter.Path, item))
        {
            var value = PathValue.FromElement(match);
            if (filter.Comparison is not { } comparison)
            {
                if (value.Kind != PathValueKind.Null && !(value.Kind == PathValueKind.Bool && !value.Bool))
                {
                    return true;
                }
                continue;
            }
            if (Compare(value, comparison, filter.Literal!))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Compare(PathValue left, JsonPathComparison comparison, PathValue right)
    {
        int? order = (left.Kind, right.Kind) switch
        {
            (PathValueKind.Int, PathValueKind.Int) => left.Int.CompareTo(right.Int),
            (PathValueKind.Int or PathValueKind.Double, PathValueKind.Int or PathValueKind.Double) => AsDouble(left).CompareTo(AsDouble(right)),
            (PathValueKind.String, PathValueKind.String) => string.CompareOrdinal(left.String, right.String),
            (PathValueKind.Bool, PathValueKind.Bool) => left.Bool == right.Bool ? 0 : null,
            (PathValueKind.Null, PathValueKind.Null) => 0,
            _ => null,
        };
        return comparison switch
        {
            JsonPathComparison.Equal => order == 0,
            JsonPathComparison.NotEqual => order != 0,
            _ when left.Kind is PathValueKind.Bool or PathValueKind.Null => false,
            JsonPathComparison.Less => order < 0,
            JsonPathComparison.LessOrEqual => order <= 0,
            JsonPathComparison.Greater => order > 0,
            JsonPathComparison.GreaterOrEqual => order >= 0,
            _ => false,
        };
    }

    private static double AsDouble(PathValue value) => value.Kind == PathValueKind.Int ? value.Int : value.Double;
}
