namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// A deliberate difference between our CRD's <c>.spec</c> schema and the golden schema: the kind, the
/// JSON pointer of the schema node (relative to <c>.spec</c>), the keyword and how it changes, and why.
/// <see cref="SchemaChange.Replaced"/> with keyword <c>*</c> allows every difference at exactly that node.
/// </summary>
public sealed record AllowedDifference(string Kind, string Pointer, string Keyword, SchemaChange Change, string Reason)
{
    public const string AnyKeyword = "*";

    public bool Matches(string kind, SchemaDifference difference) =>
        kind == Kind
        && difference.Pointer == Pointer
        && (Keyword == AnyKeyword ? Change == SchemaChange.Replaced : difference.Keyword == Keyword && difference.Change == Change);

    public override string ToString() => $"{Kind} {(Pointer.Length == 0 ? "/" : Pointer)} [{Keyword}] {Change} ({Reason})";
}
