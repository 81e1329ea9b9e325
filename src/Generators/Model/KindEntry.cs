namespace Kollect.Generators.Model;

/// <summary>
/// What the <c>KollectKinds</c> listing needs of one kind. Kept apart from <see cref="KindModel"/>
/// so that editing a schema does not re-emit the listing.
/// </summary>
internal sealed record KindEntry(
    string FilePath,
    string ApiVersion,
    string Kind,
    string Namespace,
    EquatableArray<string> TypeNames,
    LocationInfo Location);
