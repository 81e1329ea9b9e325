namespace Kollect.Api;

/// <summary>
/// One validation failure, shaped like a kube-apiserver field error so that messages read the same
/// whether a manifest is rejected by the cluster or by <c>kollect validate</c> (SPEC §2).
/// </summary>
/// <param name="Path">Field path such as <c>spec.kafka.topic</c>, <c>spec.eventSinkRefs[0]</c> or <c>metadata.name</c>.</param>
/// <param name="Message">What is wrong, for example <c>Required value</c>.</param>
public sealed record FieldError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
