namespace Kollect.Generators.Model;

/// <summary>One member of a generated string enum: the C# name and the JSON value it stands for.</summary>
internal sealed record EnumMember(string MemberName, string Value);
