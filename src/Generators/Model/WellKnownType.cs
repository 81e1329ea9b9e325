namespace Kollect.Generators.Model;

/// <summary>
/// Hand-written API types a CRD node can be mapped to through the
/// <c>codegen.kollect.dev/well-known-types</c> annotation (never guessed from names).
/// </summary>
internal enum WellKnownType
{
    None,
    SinkReference,
    LabelSelector,
    Condition,
    Duration,
}
