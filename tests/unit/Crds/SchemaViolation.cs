namespace Kollect.Tests.Unit.Crds;

/// <summary>A broken structural-schema rule at a JSON pointer of the checked schema.</summary>
public sealed record SchemaViolation(string Pointer, StructuralRule Rule, string Message)
{
    public override string ToString() => $"{(Pointer.Length == 0 ? "/" : Pointer)}: {Rule}: {Message}";
}
