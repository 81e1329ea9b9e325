namespace Kollect.Operator.Validation;

/// <summary>
/// One semantic check over a defaulted object: rules the CRD schema cannot express (SPEC §2, §6.5).
/// A rule looks at <see cref="SemanticValidationContext.Kind"/> and ignores kinds it does not own.
/// </summary>
public interface ISemanticRule
{
    void Check(SemanticValidationContext context);
}
