using System.Text.Json;
using Kollect.Operator.Export;

namespace Kollect.Operator.Collect;

/// <summary>
/// Evaluates a <see cref="JsonPathExpression"/> over a JSON object (SPEC §3) with the semantics of
/// kubectl's JSONPath (client-go <c>util/jsonpath</c>), which the original uses. The expected
/// results are client-go's own, computed by <c>tests/compat/go/jsonpath</c>.
/// <list type="bullet">
/// <item>A field no input has is <em>absent</em>: the whole path is null, not an error.</item>
/// <item><c>[n]</c> out of range, <c>[n]</c> or <c>[*]</c> on anything but a list, and a filter on
/// anything but a list are <em>evaluation errors</em> (SPEC §3: not "absent"). Null inputs are
/// skipped by <c>[n]</c> and <c>[*]</c>; a filter on null is an error.</item>
/// <item>A filter compares one value with a literal of the same kind (string, bool, integer,
/// float); other pairs, a path with several values, and ordering bools are errors. An element that
/// lacks the compared field makes the whole path absent; one whose path yields nothing is skipped.
/// <c>[?(@.f)]</c> keeps elements where <c>@.f</c> is present, even null or false.</item>
/// <item><c>[*]</c> on an empty list ends that step, dropping the step's later inputs, as
/// client-go's slice evaluation does (<c>$.a[*][*]</c> over <c>[[],[1]]</c> is null).</item>
/// </list>
/// </summary>
public static class JsonPathEvaluator
{
    /// <summary>Absent ⇒ null; an evaluation error ⇒ an error value; exactly one match ⇒ that value; several ⇒ a list in document order.</summary>
    public static PathValue Evaluate(JsonPathExpression expression, JsonElement root)
    {
        var result = Match(expression.Segments, [root]);
        if (result.Error is { } error)
        {
            return PathValue.FromError(error);
        }
        var matches = result.Values;
        return result.NotFound ? PathValue.Null : matches.Count switch
        {
            0 => PathValue.Null,
            1 => PathValue.FromElement(matches[0]),
            _ => PathValue.FromList(matches.ConvertAll(PathValue.FromElement)),
        };
    }

    /// <summary>What a sequence of steps yields: values, or "not found" (a field step found nothing), or an error.</summary>
    private readonly record struct StepResult(List<JsonElement> Values, bool NotFound, string? Error)
    {
        public static StepResult Failed(string error) => new([], false, error);
    }

    private static StepResult Match(IReadOnlyList<JsonPathSegment> segments, List<JsonElement> input)
    {
        var current = input;
        foreach (var segment in segments)
        {
            if (current.Count == 0)
            {
                break;
            }
            var step = Step(segment, current);
            if (step.Error is not null || step.NotFound)
            {
                return step;
            }
            current = step.Values;
        }
        return new StepResult(current, false, null);
    }

    private static StepResult Step(JsonPathSegment segment, List<JsonElement> input)
    {
        var output = new List<JsonElement>();
        switch (segment)
        {
            case JsonPathSegment.Field field:
                foreach (var element in input)
                {
                    if (element.ValueKind == JsonValueKind.Object && JsonObjectLookup.TryGet(element, field.Name, out var value))
                    {
                        output.Add(value);
                    }
                }
                return new StepResult(output, output.Count == 0, null);
            case JsonPathSegment.Index index:
                foreach (var element in input)
                {
                    if (element.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }
                    if (element.ValueKind != JsonValueKind.Array)
                    {
                        return StepResult.Failed($"index [{index.Value}] applied to {Describe(element)}; indexes apply to lists only");
                    }
                    var length = element.GetArrayLength();
                    var position = index.Value < 0 ? (long)length + index.Value : index.Value;
                    if (position < 0 || position >= length)
                    {
                        return StepResult.Failed($"index [{index.Value}] is out of range for a list of {length} element(s)");
                    }
                    output.Add(element[(int)position]);
                }
                return new StepResult(output, false, null);
            case JsonPathSegment.AllElements:
                foreach (var element in input)
                {
                    if (element.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }
                    if (element.ValueKind != JsonValueKind.Array)
                    {
                        return StepResult.Failed($"[*] applied to {Describe(element)}; [*] applies to lists only (use .* for the values of a map)");
                    }
                    if (element.GetArrayLength() == 0)
                    {
                        break;
                    }
                    output.AddRange(element.EnumerateArray());
                }
                return new StepResult(output, false, null);
            case JsonPathSegment.Wildcard:
                foreach (var element in input)
                {
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
                }
                return new StepResult(output, false, null);
            case JsonPathSegment.Filter filter:
                foreach (var element in input)
                {
                    if (element.ValueKind != JsonValueKind.Array)
                    {
                        return StepResult.Failed($"filter [?(…)] applied to {Describe(element)}; filters apply to lists only");
                    }
                    foreach (var item in element.EnumerateArray())
                    {
                        var held = Holds(filter, item);
                        if (held.Error is not null || held.NotFound)
                        {
                            return held;
                        }
                        if (held.Values.Count > 0)
                        {
                            output.Add(item);
                        }
                    }
                }
                return new StepResult(output, false, null);
            default:
                return StepResult.Failed($"unsupported step {segment.GetType().Name}");
        }
    }

    /// <summary>
    /// Whether a filter keeps <paramref name="item"/> (a non-empty result), or the "not found" or
    /// error that ends the whole path. Without a comparison the filter tests presence: any
    /// result, even an error, keeps the item.
    /// </summary>
    private static StepResult Holds(JsonPathSegment.Filter filter, JsonElement item)
    {
        var kept = new StepResult([item], false, null);
        var skipped = new StepResult([], false, null);
        var left = Match(filter.Path, [item]);
        if (filter.Comparison is not { } comparison)
        {
            return left.Error is not null || (!left.NotFound && left.Values.Count > 0) ? kept : skipped;
        }
        if (left.Error is not null || left.NotFound)
        {
            return left;
        }
        if (left.Values.Count == 0)
        {
            return skipped;
        }
        if (left.Values.Count > 1)
        {
            return StepResult.Failed($"the filter's path has {left.Values.Count} values; a filter compares one value at a time");
        }
        var outcome = Compare(PathValue.FromElement(left.Values[0]), comparison, filter.Literal!);
        return outcome switch
        {
            true => kept,
            false => skipped,
            null => StepResult.Failed($"the filter compares {KindName(PathValue.FromElement(left.Values[0]))} with {KindName(filter.Literal!)}; "
                + "kubectl's JSONPath compares a string, bool, integer or float with a literal of the same kind only (and orders no bools)"),
        };
    }

    /// <summary>The comparison, or null when Go's template comparison fails for these kinds.</summary>
    private static bool? Compare(PathValue left, JsonPathComparison comparison, PathValue right)
    {
        if (left.Kind != right.Kind || left.Kind is not (PathValueKind.Bool or PathValueKind.Int or PathValueKind.Double or PathValueKind.String))
        {
            return null;
        }
        int order;
        switch (left.Kind)
        {
            case PathValueKind.Bool:
                if (comparison is not (JsonPathComparison.Equal or JsonPathComparison.NotEqual))
                {
                    return null;
                }
                order = left.Bool == right.Bool ? 0 : 1;
                break;
            case PathValueKind.Int:
                order = left.Int.CompareTo(right.Int);
                break;
            case PathValueKind.Double:
                order = left.Double.CompareTo(right.Double);
                break;
            default:
                order = CodePointComparer.Compare(left.String!, right.String!);
                break;
        }
        return comparison switch
        {
            JsonPathComparison.Equal => order == 0,
            JsonPathComparison.NotEqual => order != 0,
            JsonPathComparison.Less => order < 0,
            JsonPathComparison.LessOrEqual => order <= 0,
            JsonPathComparison.Greater => order > 0,
            _ => order >= 0,
        };
    }

    private static string KindName(PathValue value) => value.Kind switch
    {
        PathValueKind.Int => "an integer",
        PathValueKind.Double => "a float",
        PathValueKind.Bool => "a bool",
        PathValueKind.String => "a string",
        PathValueKind.Null => "null",
        _ => "a " + value.TypeName,
    };

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "a map",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a bool",
        JsonValueKind.Null => "null",
        _ => "a list",
    };
}
