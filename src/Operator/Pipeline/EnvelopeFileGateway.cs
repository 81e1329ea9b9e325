using System.Text.Json;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// The sink gateway of <c>kollect export --output DIR|-</c> (SPEC §8): instead of a broker it
/// writes each message where a person or a script can read it.
/// <list type="bullet">
/// <item><b>Directory</b>: <c>DIR/&lt;envelope namespace&gt;/&lt;inventory&gt;/&lt;sink namespace&gt;_&lt;sink name&gt;_&lt;i&gt;-of-&lt;n&gt;.json</c>
/// holds the message body (the event envelope, byte for byte) and a sidecar
/// <c>…_&lt;i&gt;-of-&lt;n&gt;.headers.json</c> next to it <c>{"key":…,"natsMessageId":…,"headers":{…}}</c>. Writing
/// part 1 of an export first removes the earlier files of that inventory and sink, so the
/// directory always shows the last export only. Cluster inventories use the envelope namespace
/// <c>cluster</c>.</item>
/// <item><b>Stream</b> (<c>-</c>, standard output): one event envelope per line, nothing else; the
/// envelope's payload carries checksum, generation and part markers.</item>
/// </list>
/// There is no message limit and nothing to probe. Messages of concurrent exports are written
/// one at a time.
/// </summary>
public sealed class EnvelopeFileGateway : IEventSinkGateway
{
    private readonly string? _directory;
    private readonly Stream? _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private EnvelopeFileGateway(string? directory, Stream? stream)
    {
        _directory = directory;
        _stream = stream;
    }

    /// <summary>Writes messages as files under <paramref name="directory"/> (created when missing).</summary>
    public static EnvelopeFileGateway ToDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return new EnvelopeFileGateway(Path.GetFullPath(directory), null);
    }

    /// <summary>Writes one envelope per line to <paramref name="stream"/> (standard output for <c>--output -</c>).</summary>
    public static EnvelopeFileGateway ToStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new EnvelopeFileGateway(null, stream);
    }

    /// <summary>The body's file for one part, relative to the output directory (the layout above).</summary>
    public static string RelativePath(string sink, SinkMessage message)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(message);
        var part = Part(message);
        var slash = part.IndexOf('/', StringComparison.Ordinal);
        var (index, total) = slash < 0 ? (part, part) : (part[..slash], part[(slash + 1)..]);
        return Path.Combine(
            PathSegment(EnvelopeNamespace(message)),
            PathSegment(InventoryName(message)),
            PathSegment($"{SinkPrefix(sink)}{index}-of-{total}.json"));
    }

    public ValueTask<long?> MessageLimitAsync(EventSinkResolution sink, CancellationToken cancellationToken) => ValueTask.FromResult<long?>(null);

    public async Task<SinkPublishOutcome> PublishAsync(EventSinkResolution sink, SinkMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(message);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _directory is null
                ? await WriteLineAsync(message, cancellationToken).ConfigureAwait(false)
                : await WriteFilesAsync(_directory, sink.Sink, message, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return SinkPublishOutcome.Failure(false, "WriteFailed", $"writing the envelope of {sink.Sink} failed: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return SinkPublishOutcome.Failure(false, "WriteFailed", $"writing the envelope of {sink.Sink} failed: {e.Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<SinkProbeOutcome> ProbeAsync(EventSinkResolution sink, CancellationToken cancellationToken) =>
        Task.FromResult(new SinkProbeOutcome(true, SinkProbeOutcome.ConnectionOk, "envelopes are written to files or standard output; no broker is contacted", false, TimeSpan.Zero));

    public void Forget(string sink)
    {
    }

    private async Task<SinkPublishOutcome> WriteLineAsync(SinkMessage message, CancellationToken cancellationToken)
    {
        await _stream!.WriteAsync(message.Body, cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return SinkPublishOutcome.Success("stdout");
    }

    private static async Task<SinkPublishOutcome> WriteFilesAsync(string root, string sink, SinkMessage message, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, RelativePath(sink, message));
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        if (Part(message).StartsWith("1/", StringComparison.Ordinal))
        {
            foreach (var stale in Directory.EnumerateFiles(folder, SinkPrefix(sink) + "*.json"))
            {
                File.Delete(stale);
            }
        }
        await File.WriteAllBytesAsync(path, message.Body.ToArray(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.ChangeExtension(path, ".headers.json"), Sidecar(message), cancellationToken).ConfigureAwait(false);
        return SinkPublishOutcome.Success(path);
    }

    private static byte[] Sidecar(SinkMessage message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("key", message.Key);
            writer.WriteString("natsMessageId", message.NatsMessageId);
            writer.WriteStartObject("headers");
            foreach (var (name, value) in message.Headers)
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    // The Kafka key is <cluster>/<namespace>; a cluster label may itself hold '/', a namespace never does.
    private static string EnvelopeNamespace(SinkMessage message) => message.Key[(message.Key.LastIndexOf('/') + 1)..];

    private static string InventoryName(SinkMessage message)
    {
        var inventory = Header(message, ExportMessageMetadata.InventoryHeader);
        return inventory[(inventory.LastIndexOf('/') + 1)..];
    }

    private static string Part(SinkMessage message) => Header(message, ExportMessageMetadata.PartHeader);

    // '_' occurs in no Kubernetes name, so one sink's prefix never matches another sink's files.
    private static string SinkPrefix(string sink) => sink.Replace('/', '_') + "_";

    private static string PathSegment(string segment) =>
        segment.Length == 0 || segment is "." or ".." || segment.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || segment.Contains('/', StringComparison.Ordinal)
            ? throw new ArgumentException($"\"{segment}\" cannot be used as a file or folder name")
            : segment;

    private static string Header(SinkMessage message, string name) =>
        message.Headers.FirstOrDefault(h => h.Key == name).Value
        ?? throw new ArgumentException($"the message has no {name} header; it was not built by the inventory exporter", nameof(message));
}
