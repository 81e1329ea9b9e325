namespace Kollect.Generators.Model;

/// <summary>A property of an object node: JSON name, generated C# name, and whether it is required.</summary>
internal sealed record SchemaProperty(string JsonName, string PropertyName, bool Required, SchemaNode Schema);
