namespace Kollect.Operator.Export;

/// <summary>
/// What an export's envelopes say besides the rows (SPEC §4, §5). <see cref="Namespace"/> is the
/// inventory namespace, or the literal <c>cluster</c> for cluster inventories; an empty
/// <see cref="Cluster"/> is omitted from the export envelope but written as <c>""</c> in the event
/// envelope. Times are passed in: this layer reads no clock.
/// </summary>
public sealed record EnvelopeContext(
    string Cluster,
    string Namespace,
    long Generation,
    DateTimeOffset ExportedAt,
    DateTimeOffset PublishedAt)
{
    public const string SchemaVersion = "kollect.dev/v1alpha1";
}
