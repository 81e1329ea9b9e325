namespace Kollect.Operator.Pipeline;

/// <summary>What became of one sink ref in one export run.</summary>
public enum SinkExportState
{
    /// <summary>Every part was delivered.</summary>
    Exported,

    /// <summary>Debounced: the sink already has this content (SPEC §4).</summary>
    Skipped,

    /// <summary>Not exported; <see cref="SinkExportOutcome.Reason"/> says why.</summary>
    Failed,

    /// <summary>A <c>databaseSinkRefs</c> or <c>snapshotSinkRefs</c> entry: accepted, never exported (SPEC §2.2).</summary>
    Unsupported,

    /// <summary>The inventory has <c>spec.suspend: true</c>.</summary>
    Suspended,
}
