using Kollect.Api;

namespace Kollect.Operator.Pipeline;

/// <summary>One <c>status.sinkExports[]</c> entry: what one sink ref last exported.</summary>
internal sealed record SinkExportFields(string Name, string? LastChecksum, long? LastGeneration, DateTimeOffset? LastExportTime, List<Condition>? Conditions)
{
    public string? LastChecksum { get; set; } = LastChecksum;

    public long? LastGeneration { get; set; } = LastGeneration;

    public DateTimeOffset? LastExportTime { get; set; } = LastExportTime;

    public List<Condition>? Conditions { get; set; } = Conditions;
}
