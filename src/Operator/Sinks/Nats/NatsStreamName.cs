namespace Kollect.Operator.Sinks.Nats;

/// <summary>The stream name rule of SPEC §2.1: default <c>kollect_events</c>, <c>.</c> replaced by <c>_</c>.</summary>
public static class NatsStreamName
{
    /// <summary>The stream used when the sink names none.</summary>
    public const string Default = "kollect_events";

    /// <summary>Applies the default and replaces every <c>.</c> (not allowed in stream names) by <c>_</c>.</summary>
    public static string Normalize(string? name) =>
        string.IsNullOrWhiteSpace(name) ? Default : name.Trim().Replace('.', '_');
}
