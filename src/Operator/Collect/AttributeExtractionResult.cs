namespace Kollect.Operator.Collect;

/// <summary>
/// The attributes of one object: their canonical JSON object bytes (keys sorted, values
/// scrubbed), or, when a required attribute failed, the failure (SPEC §3: the object's row is
/// removed and the target is marked <c>Degraded</c> with reason <c>ExtractionFailed</c>).
/// </summary>
public sealed class AttributeExtractionResult
{
    private AttributeExtractionResult(byte[]? attributes, string? failure)
    {
        Attributes = attributes;
        Failure = failure;
    }

    /// <summary>The canonical attributes object, null on failure.</summary>
    public byte[]? Attributes { get; }

    /// <summary>Which required attribute failed, with its path and the reason; null on success.</summary>
    public string? Failure { get; }

    public bool Succeeded => Failure is null;

    public static AttributeExtractionResult Success(byte[] attributes) => new(attributes, null);

    public static AttributeExtractionResult Failed(string failure) => new(null, failure);
}
