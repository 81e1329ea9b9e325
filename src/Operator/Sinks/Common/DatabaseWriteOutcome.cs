namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// What became of one export to a database sink. On failure <see cref="Reason"/> is a short CamelCase
/// word (condition reason and <c>kollect_sink_errors_total{reason}</c> label), <see cref="Message"/>
/// says what to fix and <see cref="Transient"/> whether retrying can succeed; nothing was changed in
/// the table (one transaction). On success the counts say what the transaction did.
/// </summary>
public sealed record DatabaseWriteOutcome(bool Written, bool Transient, string Reason, string Message, int Upserted, int Deleted, int DuplicateKeys, long PayloadBytes)
{
    public static DatabaseWriteOutcome Failure(bool transient, string reason, string message) => new(false, transient, reason, message, 0, 0, 0, 0);
}
