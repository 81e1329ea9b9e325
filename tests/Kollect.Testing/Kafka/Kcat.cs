using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kollect.Testing.Kafka;

/// <summary>
/// Reads a topic back with <c>kcat</c> (Debian package), an independent Kafka client, so the
/// tests do not trust our producer's own view of what it wrote.
/// </summary>
public static class Kcat
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Every message of the topic from the beginning, in partition then offset order.</summary>
    public static async Task<IReadOnlyList<KcatRecord>> ReadAllAsync(string bootstrap, string topic)
    {
        // Two passes: JSON for key, headers and position; length-prefixed raw bytes (%R%s) for
        // the payload, which JSON output cannot carry byte for byte.
        var json = await RunAsync(bootstrap, topic, "-J").ConfigureAwait(false);
        var raw = await RunAsync(bootstrap, topic, "-f", "%p,%o,%R%s").ConfigureAwait(false);

        var records = new List<KcatRecord>();
        foreach (var line in Encoding.UTF8.GetString(json).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var headers = new List<KeyValuePair<string, string>>();
            if (root.TryGetProperty("headers", out var headerArray) && headerArray.ValueKind == JsonValueKind.Array)
            {
                var items = headerArray.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
                for (var i = 0; i + 1 < items.Count; i += 2)
                {
                    headers.Add(new(items[i], items[i + 1]));
                }
            }

            records.Add(new KcatRecord(
                root.GetProperty("partition").GetInt32(),
                root.GetProperty("offset").GetInt64(),
                root.GetProperty("key").GetString(),
                headers,
                []));
        }

        var payloads = new Dictionary<(int, long), byte[]>();
        for (var at = 0; at < raw.Length;)
        {
            var partition = int.Parse(ReadField(raw, ref at), CultureInfo.InvariantCulture);
            var offset = long.Parse(ReadField(raw, ref at), CultureInfo.InvariantCulture);
            var length = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(at, 4));
            at += 4;
            payloads[(partition, offset)] = length < 0 ? [] : raw.AsSpan(at, length).ToArray();
            at += Math.Max(length, 0);
        }

        if (payloads.Count != records.Count)
        {
            throw new InvalidOperationException($"kcat returned {records.Count} JSON records but {payloads.Count} payloads");
        }

        return records.Select(r => r with { Payload = payloads[(r.Partition, r.Offset)] })
            .OrderBy(r => r.Partition).ThenBy(r => r.Offset).ToList();
    }

    private static string ReadField(byte[] raw, ref int at)
    {
        var comma = Array.IndexOf(raw, (byte)',', at);
        var field = Encoding.ASCII.GetString(raw, at, comma - at);
        at = comma + 1;
        return field;
    }

    private static async Task<byte[]> RunAsync(string bootstrap, string topic, params string[] format)
    {
        var start = new ProcessStartInfo("kcat")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q" }.Concat(format))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kcat did not finish reading {topic} within {Limit.TotalSeconds} s");
        }

        await copy.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat exited {process.ExitCode}: {await errors.ConfigureAwait(false)}");
        }

        return output.ToArray();
    }
}
