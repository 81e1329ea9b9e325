// Over 400 lines: one recursive evaluator over the whole expression tree, with CEL's error rules beside the cases they govern.
using System.Text.Json;
using Kollect.Operator.Export;

namespace Kollect.Operator.Collect;

/// <summary>
/// Evaluates a <see cref="CelExpression"/> with CEL's semantics for the subset: a missing key or
/// a wrong type is an error value (not an exception); <c>&amp;&amp;</c> and <c>||</c> are
/// commutative in error absorption (<c>false &amp;&amp; error</c> and <c>error &amp;&amp; false</c>
/// are false, <c>true || error</c> and <c>error || true</c> are true); equality is heterogeneous
/// (<c>1 == 1.0</c> is true, <c>1 == "1"</c> is false); ordering across unrelated types is an error.
/// An error result makes an optional attribute be omitted and a required one fail (SPEC §3).
/// </summary>
public static class CelEvaluator
{
    public static PathValue Evaluate(CelExpression expression, JsonElement root) => expression switch
    {
        CelExpression.Literal literal => literal.Value,
        CelExpression.ObjectVariable => PathValue.FromElement(root),
        CelExpression.Select select => SelectField(Evaluate(select.Operand, root), select.Field),
        CelExpression.Index index => IndexValue(Evaluate(index.Operand, root), Evaluate(index.Key, root)),
        CelExpression.Has has => HasField(Evaluate(has.Target.Operand, root), has.Target.Field),
        CelExpression.Call call => EvaluateCall(call, root),
        CelExpression.Not not => NotValue(Evaluate(not.Operand, root)),
        CelExpression.Negate negate => NegateValue(Evaluate(negate.Operand, root)),
        CelExpression.And and => Logical(and.Left, and.Right, root, absorbing: false),
        CelExpression.Or or => Logical(or.Left, or.Right, root, absorbing: true),
        CelExpression.Compare compare => CompareValues(compare.Operator, Evaluate(compare.Left, root), Evaluate(compare.Right, root)),
        CelExpression.In membership => Contains(Evaluate(membership.Collection, root), Evaluate(membership.Element, root)),
        CelExpression.Conditional conditional => EvaluateConditional(conditional, root),
        CelExpression.ListLiteral list => EvaluateList(list, root),
        _ => PathValue.FromError($"unsupported expression {expression.GetType().Name}"),
    };

    private static PathValue SelectField(PathValue operand, string field)
    {
        if (operand.IsError)
        {
            return operand;
        }
        if (operand.Kind == PathValueKind.Json && operand.Element.ValueKind == JsonValueKind.Object)
        {
            return JsonObjectLookup.TryGet(operand.Element, field, out var value)
                ? PathValue.FromElement(value)
                : PathValue.FromError($"no such key: {field}");
        }
        return PathValue.FromError($"type '{operand.TypeName}' does not support field selection (selecting '{field}')");
    }

    private static PathValue HasField(PathValue operand, string field)
    {
        if (operand.IsError)
        {
            return operand;
        }
        if (operand.Kind == PathValueKind.Json && operand.Element.ValueKind == JsonValueKind.Object)
        {
            return PathValue.FromBool(JsonObjectLookup.TryGet(operand.Element, field, out _));
        }
        return PathValue.FromError($"has() needs a map, found type '{operand.TypeName}' (testing '{field}')");
    }

    private static PathValue IndexValue(PathValue operand, PathValue key)
    {
        if (operand.IsError)
        {
            return operand;
        }
        if (key.IsError)
        {
            return key;
        }
        if (IsList(operand))
        {
            if (!TryGetIndex(key, out var index))
            {
                return PathValue.FromError($"no such overload: list[{key.TypeName}]");
            }
            var items = ListItems(operand);
            return index >= 0 && index < items.Count
                ? items[(int)index]
                : PathValue.FromError($"index out of range: {index}");
        }
        if (operand.Kind == PathValueKind.Json && operand.Element.ValueKind == JsonValueKind.Object)
        {
            if (key.Kind != PathValueKind.String)
            {
                return PathValue.FromError($"no such key: {key}");
            }
            return JsonObjectLookup.TryGet(operand.Element, key.String!, out var value)
                ? PathValue.FromElement(value)
                : PathValue.FromError($"no such key: {key.String}");
        }
        return PathValue.FromError($"type '{operand.TypeName}' does not support indexing");
    }

    private static bool TryGetIndex(PathValue key, out long index)
    {
        if (key.Kind == PathValueKind.Int)
        {
            index = key.Int;
            return true;
        }
        // CEL accepts a double index only when it holds a whole number.
        if (key.Kind == PathValueKind.Double && key.Double == Math.Floor(key.Double) && Math.Abs(key.Double) < 9e15)
        {
            index = (long)key.Double;
            return true;
        }
        index = 0;
        return false;
    }

    private static PathValue EvaluateCall(CelExpression.Call call, JsonElement root)
    {
        var target = call.Target is null ? Evaluate(call.Arguments[0], root) : Evaluate(call.Target, root);
        if (target.IsError)
        {
            return target;
        }
        if (call.Function == "size")
        {
            return target.Kind switch
            {
                PathValueKind.String => PathValue.FromInt(CountRunes(target.String!)),
                PathValueKind.List => PathValue.FromInt(target.Items!.Count),
                PathValueKind.Json when target.Element.ValueKind == JsonValueKind.Array => PathValue.FromInt(target.Element.GetArrayLength()),
                PathValueKind.Json => PathValue.FromInt(CountProperties(target.Element)),
                _ => PathValue.FromError($"no such overload: size({target.TypeName})"),
            };
        }
        var argument = Evaluate(call.Arguments[0], root);
        if (argument.IsError)
        {
            return argument;
        }
        if (target.Kind != PathValueKind.String || argument.Kind != PathValueKind.String)
        {
            return PathValue.FromError($"no such overload: {target.TypeName}.{call.Function}({argument.TypeName})");
        }
        return PathValue.FromBool(call.Function switch
        {
            "startsWith" => target.String!.StartsWith(argument.String!, StringComparison.Ordinal),
            "endsWith" => target.String!.EndsWith(argument.String!, StringComparison.Ordinal),
            _ => target.String!.Contains(argument.String!, StringComparison.Ordinal),
        });
    }

    private static int CountRunes(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    private static int CountProperties(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            names.Add(JsonStringDecoder.GetName(property));
        }
        return names.Count;
    }

    private static PathValue NotValue(PathValue operand) => operand.Kind switch
    {
        PathValueKind.Error => operand,
        PathValueKind.Bool => PathValue.FromBool(!operand.Bool),
        _ => PathValue.FromError($"no such overload: !{operand.TypeName}"),
    };

    private static PathValue NegateValue(PathValue operand) => operand.Kind switch
    {
        PathValueKind.Error => operand,
        PathValueKind.Int when operand.Int == long.MinValue => PathValue.FromError("int overflow in negation"),
        PathValueKind.Int => PathValue.FromInt(-operand.Int),
        PathValueKind.Double => PathValue.FromDouble(-operand.Double),
        _ => PathValue.FromError($"no such overload: -{operand.TypeName}"),
    };

    /// <summary>
    /// <c>&amp;&amp;</c> (absorbing = false) and <c>||</c> (absorbing = true): either side equal to
    /// the absorbing value decides, whatever the other side is (even an error); otherwise the
    /// first error, then the first non-bool, is the result.
    /// </summary>
    private static PathValue Logical(CelExpression leftExpression, CelExpression rightExpression, JsonElement root, bool absorbing)
    {
        var left = Evaluate(leftExpression, root);
        if (left.Kind == PathValueKind.Bool && left.Bool == absorbing)
        {
            return left;
        }
        var right = Evaluate(rightExpression, root);
        if (right.Kind == PathValueKind.Bool && right.Bool == absorbing)
        {
            return right;
        }
        var operatorText = absorbing ? "||" : "&&";
        foreach (var side in new[] { left, right })
        {
            if (side.IsError)
            {
                return side;
            }
            if (side.Kind != PathValueKind.Bool)
            {
                return PathValue.FromError($"no such overload: {side.TypeName} {operatorText} …");
            }
        }
        return PathValue.FromBool(!absorbing);
    }

    private static PathValue EvaluateConditional(CelExpression.Conditional conditional, JsonElement root)
    {
        var condition = Evaluate(conditional.Condition, root);
        return condition.Kind switch
        {
            PathValueKind.Error => condition,
            PathValueKind.Bool => Evaluate(condition.Bool ? conditional.WhenTrue : conditional.WhenFalse, root),
            _ => PathValue.FromError($"no such overload: {condition.TypeName} ? … : …"),
        };
    }

    private static PathValue EvaluateList(CelExpression.ListLiteral list, JsonElement root)
    {
        var items = new List<PathValue>(list.Items.Count);
        foreach (var item in list.Items)
        {
            var value = Evaluate(item, root);
            if (value.IsError)
            {
                return value;
            }
            items.Add(value);
        }
        return PathValue.FromList(items);
    }

    private static PathValue CompareValues(CelComparison comparison, PathValue left, PathValue right)
    {
        if (left.IsError)
        {
            return left;
        }
        if (right.IsError)
        {
            return right;
        }
        if (comparison is CelComparison.Equal or CelComparison.NotEqual)
        {
            return PathValue.FromBool(AreEqual(left, right) == (comparison == CelComparison.Equal));
        }
        int order;
        if (IsNumber(left) && IsNumber(right))
        {
            if (left.Kind == PathValueKind.Int && right.Kind == PathValueKind.Int)
            {
                order = left.Int.CompareTo(right.Int);
            }
            else
            {
                var l = AsDouble(left);
                var r = AsDouble(right);
                if (double.IsNaN(l) || double.IsNaN(r))
                {
                    return PathValue.False;
                }
                order = l.CompareTo(r);
            }
        }
        else if (left.Kind == PathValueKind.String && right.Kind == PathValueKind.String)
        {
            order = CodePointComparer.Compare(left.String!, right.String!);
        }
        else if (left.Kind == PathValueKind.Bool && right.Kind == PathValueKind.Bool)
        {
            order = left.Bool.CompareTo(right.Bool);
        }
        else
        {
            return PathValue.FromError($"no such overload: {left.TypeName} {Symbol(comparison)} {right.TypeName}");
        }
        return PathValue.FromBool(comparison switch
        {
            CelComparison.Less => order < 0,
            CelComparison.LessOrEqual => order <= 0,
            CelComparison.Greater => order > 0,
            _ => order >= 0,
        });
    }

    private static string Symbol(CelComparison comparison) => comparison switch
    {
        CelComparison.Less => "<",
        CelComparison.LessOrEqual => "<=",
        CelComparison.Greater => ">",
        _ => ">=",
    };

    private static PathValue Contains(PathValue collection, PathValue element)
    {
        if (element.IsError)
        {
            return element;
        }
        if (collection.IsError)
        {
            return collection;
        }
        if (IsList(collection))
        {
            foreach (var item in ListItems(collection))
            {
                if (AreEqual(element, item))
                {
                    return PathValue.True;
                }
            }
            return PathValue.False;
        }
        if (collection.Kind == PathValueKind.Json && collection.Element.ValueKind == JsonValueKind.Object)
        {
            return element.Kind == PathValueKind.String
                ? PathValue.FromBool(JsonObjectLookup.TryGet(collection.Element, element.String!, out _))
                : PathValue.FromError($"no such overload: {element.TypeName} in map");
        }
        return PathValue.FromError($"no such overload: {element.TypeName} in {collection.TypeName}");
    }

    /// <summary>CEL heterogeneous equality over the value model.</summary>
    public static bool AreEqual(PathValue left, PathValue right)
    {
        if (IsNumber(left) && IsNumber(right))
        {
            return left.Kind == PathValueKind.Int && right.Kind == PathValueKind.Int
                ? left.Int == right.Int
                : AsDouble(left) == AsDouble(right);
        }
        if (IsList(left) && IsList(right))
        {
            var l = ListItems(left);
            var r = ListItems(right);
            if (l.Count != r.Count)
            {
                return false;
            }
            for (var i = 0; i < l.Count; i++)
            {
                if (!AreEqual(l[i], r[i]))
                {
                    return false;
                }
            }
            return true;
        }
        if (left.Kind != right.Kind)
        {
            return false;
        }
        return left.Kind switch
        {
            PathValueKind.Null => true,
            PathValueKind.Bool => left.Bool == right.Bool,
            PathValueKind.String => string.Equals(left.String, right.String, StringComparison.Ordinal),
            PathValueKind.Json => MapsEqual(left.Element, right.Element),
            _ => false,
        };
    }

    private static bool MapsEqual(JsonElement left, JsonElement right)
    {
        if (left.ValueKind != JsonValueKind.Object || right.ValueKind != JsonValueKind.Object
            || CountProperties(left) != CountProperties(right))
        {
            return false;
        }
        foreach (var property in left.EnumerateObject())
        {
            if (!JsonObjectLookup.TryGet(right, JsonStringDecoder.GetName(property), out var other)
                || !AreEqual(PathValue.FromElement(property.Value), PathValue.FromElement(other)))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsNumber(PathValue value) => value.Kind is PathValueKind.Int or PathValueKind.Double;

    private static double AsDouble(PathValue value) => value.Kind == PathValueKind.Int ? value.Int : value.Double;

    private static bool IsList(PathValue value) =>
        value.Kind == PathValueKind.List || (value.Kind == PathValueKind.Json && value.Element.ValueKind == JsonValueKind.Array);

    private static IReadOnlyList<PathValue> ListItems(PathValue value)
    {
        if (value.Kind == PathValueKind.List)
        {
            return value.Items!;
        }
        var items = new List<PathValue>(value.Element.GetArrayLength());
        foreach (var item in value.Element.EnumerateArray())
        {
            items.Add(PathValue.FromElement(item));
        }
        return items;
    }
}
