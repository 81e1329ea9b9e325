using System.Diagnostics;
using System.Globalization;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Bench;

/// <summary>
/// Publish throughput of the NATS sink (#11: our old protocol client vs NATS.Net):
/// <c>kollect-bench --nats-url nats://127.0.0.1:PORT [--messages N] [--payload-bytes B]</c> publishes N
/// messages of B bytes (1 KiB default) with the export headers and a fresh <c>Nats-Msg-Id</c> each,
/// one after the other, each waiting for its PubAck as the exporter does, after a warm-up of N/10,
/// and prints messages/s and the ack latency percentiles as one Markdown table row. The publisher
/// API is the same before and after #11, so this file builds against both trees and both can be
/// measured against one nats-server in one run.
/// </summary>
internal static class NatsPublishThroughput
{
    public static async Task<int> RunAsync(string url, int messages, int payloadBytes, string label)
    {
        var subject = "bench." + Guid.NewGuid().ToString("N")[..8];
        var options = new NatsSinkOptions
        {
            Url = url,
            Subject = subject,
            Stream = subject.Replace('.', '_'),
            EndpointPolicy = new EndpointPolicy(AllowPrivate: true, AllowLoopback: true),
        };
        IReadOnlyList<KeyValuePair<string, string>> headers =
        [
            new("kollect-inventory", "bench/throughput"),
            new("kollect-checksum", new string('0', 64)),
            new("kollect-generation", "1"),
            new("kollect-part", "1/1"),
            new("content-type", "application/json"),
        ];
        var payload = new byte[payloadBytes];
        Array.Fill(payload, (byte)'x');
        await using var publisher = new NatsEventPublisher(options);
        var warmup = Math.Max(10, messages / 10);
        for (var i = 0; i < warmup; i++)
        {
            await publisher.PublishAsync(subject, headers, payload, $"warm-{i}", CancellationToken.None);
        }

        var latencies = new double[messages];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await publisher.PublishAsync(subject, headers, payload, $"msg-{i}", CancellationToken.None);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        total.Stop();
        Array.Sort(latencies);
        double P(double p) => latencies[Math.Clamp((int)Math.Ceiling(p * messages) - 1, 0, messages - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {messages} × {payloadBytes} B, sequential, PubAck each | {messages / total.Elapsed.TotalSeconds:0} | {P(0.5):0.000} | {P(0.99):0.000} | {latencies[^1]:0.000} |"));
        return 0;
    }
}
