using System;
using System.Collections.Generic;
using Kollect.Generators.Model;

namespace Kollect.Generators.Emitting;

/// <summary>
/// The one walk of a schema tree the emitters share: pre-order, in schema order (a node, then its
/// properties, map values and array items), so generated members come out in a stable order.
/// </summary>
internal static class SchemaWalk
{
    /// <summary>
    /// <paramref name="node"/> and the nodes below it; the children of a node are visited only
    /// when <paramref name="descend"/> says so (e.g. not below well-known types, whose C# type is
    /// hand-written).
    /// </summary>
    public static IEnumerable<SchemaNode> PreOrder(SchemaNode node, Func<SchemaNode, bool> descend)
    {
        var pending = new Stack<SchemaNode>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            if (!descend(current))
            {
                continue;
            }

            // Pushed in reverse so that they are visited in schema order.
            var children = new List<SchemaNode>();
            switch (current.Kind)
            {
                case SchemaKind.Object:
                    foreach (var property in current.Properties)
                    {
                        children.Add(property.Schema);
                    }

                    break;
                case SchemaKind.Map:
                    children.Add(current.AdditionalProperties!);
                    break;
                case SchemaKind.Array:
                    children.Add(current.Items!);
                    break;
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }
    }
}
