using System.Reflection;
using Kollect.Generators;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// Pipeline models must hold only values (strings, numbers, equatable arrays): a Roslyn symbol,
/// syntax node, location or compilation in them silently breaks incremental caching.
/// </summary>
public sealed class ModelTypeTests
{
    private static readonly Type[] ModelTypes = typeof(KollectApiGenerator).Assembly.GetTypes()
        .Where(t => t.Namespace == "Kollect.Generators.Model" && !t.IsNested && !t.IsAbstract)
        .ToArray();

    [Fact]
    public void Model_types_hold_no_roslyn_objects()
    {
        Assert.Contains(ModelTypes, t => t.Name == "SchemaNode");
        foreach (var type in ModelTypes)
        {
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (var used in Flatten(property.PropertyType))
                {
                    Assert.False(
                        used.Assembly.GetName().Name!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal),
                        $"{type.Name}.{property.Name} holds the Roslyn type {used.FullName}");
                    Assert.False(used == typeof(object), $"{type.Name}.{property.Name} is typed object, which may hide anything");
                }
            }
        }
    }

    [Fact]
    public void Model_types_compare_by_value()
    {
        foreach (var type in ModelTypes.Where(t => !t.IsEnum && !t.IsGenericTypeDefinition))
        {
            var equatable = typeof(IEquatable<>).MakeGenericType(type);
            Assert.True(equatable.IsAssignableFrom(type), $"{type.Name} does not implement IEquatable<{type.Name}>");
        }
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.IsArray)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in Flatten(argument))
            {
                yield return inner;
            }
        }
    }
}
