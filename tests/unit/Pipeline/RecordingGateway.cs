using System.Collections.Concurrent;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Tests.Unit.Pipeline;

/// <summary>
/// An <see cref="IEventSinkGateway"/> that keeps every published message per sink and answers
/// with a configurable limit and outcome, for exporter tests without brokers.
/// </summary>
internal sealed class RecordingGateway : IEventSinkGateway
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SinkMessage>> _published = new(StringComparer.Ordinal);

    /// <summary>Message limits per sink (<c>namespace/name</c>); absent means unknown (null).</summary>
    public ConcurrentDictionary<string, long> Limits { get; } = new(StringComparer.Ordinal);

    /// <summary>Failures per sink; absent means delivered.</summary>
    public ConcurrentDictionary<string, SinkPublishOutcome> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Sinks whose publish throws, as a buggy gateway would.</summary>
    public ConcurrentBag<string> Throwing { get; } = [];

    /// <summary>Sinks whose publish waits until the gate opens (a broker that takes its time, or never answers).</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Blocked { get; } = new(StringComparer.Ordinal);

    /// <summary>Publishes attempted per sink, delivered or not.</summary>
    public ConcurrentDictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<SinkMessage> Published(string sink) =>
        _published.TryGetValue(sink, out var queue) ? queue.ToList() : [];

    public int Count => _published.Values.Sum(q => q.Count);

    public void Clear() => _published.Clear();

    public ValueTask<long?> MessageLimitAsync(EventSinkResolution sink, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Limits.TryGetValue(sink.Sink, out var limit) ? limit : (long?)null);

    public async Task<SinkPublishOutcome> PublishAsync(EventSinkResolution sink, SinkMessage message, CancellationToken cancellationToken)
    {
        Attempts.AddOrUpdate(sink.Sink, 1, (_, n) => n + 1);
        if (Blocked.TryGetValue(sink.Sink, out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        return await Publish(sink, message);
    }

    private Task<SinkPublishOutcome> Publish(EventSinkResolution sink, SinkMessage message)
    {
        if (Throwing.Contains(sink.Sink))
        {
            throw new InvalidOperationException("boom-detail");
        }
        if (Failures.TryGetValue(sink.Sink, out var failure))
        {
            return Task.FromResult(failure);
        }
        if (Limits.TryGetValue(sink.Sink, out var limit) && message.Body.Length > limit)
        {
            return Task.FromResult(SinkPublishOutcome.Failure(false, "MessageTooLarge", $"{message.Body.Length} bytes exceed the limit of {limit}"));
        }
        _published.GetOrAdd(sink.Sink, _ => new ConcurrentQueue<SinkMessage>()).Enqueue(message);
        return Task.FromResult(SinkPublishOutcome.Success($"{sink.Sink}#{Count}"));
    }

    public Task<SinkProbeOutcome> ProbeAsync(EventSinkResolution sink, CancellationToken cancellationToken) =>
        Task.FromResult(new SinkProbeOutcome(true, SinkProbeOutcome.ConnectionOk, "recorded", false, TimeSpan.Zero));

    public void Forget(string sink) => _published.TryRemove(sink, out _);
}
