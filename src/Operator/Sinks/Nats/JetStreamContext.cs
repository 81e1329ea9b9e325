using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// The JetStream API calls a sink needs, over a <see cref="NatsConnection"/> (SPEC §6.2, §6.3):
/// account info, stream info/create/lookup by subject, and acknowledged publish.
/// </summary>
public sealed class JetStreamContext
{
    /// <summary>Header that makes JetStream deduplicate retried publishes.</summary>
    public const string MessageIdHeader = "Nats-Msg-Id";

    private const string ApiPrefix = "$JS.API.";

    // JetStream err_code values this client reacts to (nats-server errors.json).
    private const int JetStreamNotEnabledForAccount = 10039;
    private const int JetStreamNotEnabled = 10076;
    private const int StreamNotFound = 10059;
    private const int StreamNameInUse = 10058;
    private const int SubjectsOverlap = 10065;

    private readonly NatsConnection _connection;
    private readonly TimeSpan _requestTimeout;

    /// <summary>Creates a context whose API calls and PubAcks wait at most <paramref name="requestTimeout"/>.</summary>
    public JetStreamContext(NatsConnection connection, TimeSpan requestTimeout)
    {
        _connection = connection;
        _requestTimeout = requestTimeout;
    }

    /// <summary><c>$JS.API.INFO</c>; fails with <see cref="NatsFailureKind.JetStreamNotEnabled"/> when JetStream is off.</summary>
    public async Task<JetStreamAccountInfo> GetAccountInfoAsync(CancellationToken cancellationToken)
    {
        using JsonDocument response = await ApiAsync("INFO", body: null, cancellationToken).ConfigureAwait(false);
        ThrowIfError(response.RootElement, "reading the JetStream account info");
        JsonElement root = response.RootElement;
        return new JetStreamAccountInfo(Int64(root, "streams"), Int64(root, "consumers"));
    }

    /// <summary><c>$JS.API.STREAM.INFO.&lt;name&gt;</c>; null when the stream does not exist.</summary>
    public async Task<JetStreamStreamInfo?> GetStreamInfoAsync(string stream, CancellationToken cancellationToken)
    {
        using JsonDocument response = await ApiAsync("STREAM.INFO." + stream, body: null, cancellationToken).ConfigureAwait(false);
        if (ErrorCode(response.RootElement) == StreamNotFound)
        {
            return null;
        }

        ThrowIfError(response.RootElement, $"reading stream '{stream}'");
        return ParseStreamInfo(response.RootElement);
    }

    /// <summary>Names of the streams that capture <paramref name="subject"/> (<c>$JS.API.STREAM.NAMES</c> with a subject filter).</summary>
    public async Task<IReadOnlyList<string>> FindStreamsBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        byte[] body = Json(writer => writer.WriteString("subject", subject));
        using JsonDocument response = await ApiAsync("STREAM.NAMES", body, cancellationToken).ConfigureAwait(false);
        ThrowIfError(response.RootElement, $"looking up the streams of subject '{subject}'");
        List<string> names = [];
        if (response.RootElement.TryGetProperty("streams", out JsonElement streams) && streams.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement name in streams.EnumerateArray())
            {
                names.Add(name.GetString() ?? string.Empty);
            }
        }

        return names;
    }

    /// <summary>
    /// Creates the stream <c>{name, subjects:[subject]}</c>. A subject already captured by another
    /// stream fails with <see cref="NatsFailureKind.SubjectOwnedByOtherStream"/> naming that stream.
    /// </summary>
    public async Task<JetStreamStreamInfo> CreateStreamAsync(string stream, string subject, CancellationToken cancellationToken)
    {
        byte[] body = Json(writer =>
        {
            writer.WriteString("name", stream);
            writer.WriteStartArray("subjects");
            writer.WriteStringValue(subject);
            writer.WriteEndArray();
        });
        using JsonDocument response = await ApiAsync("STREAM.CREATE." + stream, body, cancellationToken).ConfigureAwait(false);
        int? errorCode = ErrorCode(response.RootElement);
        if (errorCode == SubjectsOverlap)
        {
            throw await SubjectOwnedAsync(stream, subject, cancellationToken).ConfigureAwait(false);
        }

        if (errorCode == StreamNameInUse)
        {
            // Created concurrently by someone else: use it if it fits, never update it.
            JetStreamStreamInfo? existing = await GetStreamInfoAsync(stream, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                return RequireCaptures(existing, subject);
            }
        }

        ThrowIfError(response.RootElement, $"creating stream '{stream}' for subject '{subject}'");
        return ParseStreamInfo(response.RootElement);
    }

    /// <summary>
    /// Applies <c>provisioning.mode</c> (SPEC §6.2): the stream must capture the subject; a missing
    /// stream is created in <see cref="NatsProvisioningMode.Ensure"/> mode when
    /// <paramref name="createIfMissing"/>, otherwise only checked to be creatable (returns null).
    /// An existing stream is never modified.
    /// </summary>
    public async Task<JetStreamStreamInfo?> PrepareStreamAsync(string stream, string subject, NatsProvisioningMode mode, bool createIfMissing, CancellationToken cancellationToken)
    {
        JetStreamStreamInfo? info = await GetStreamInfoAsync(stream, cancellationToken).ConfigureAwait(false);
        if (info is not null)
        {
            return RequireCaptures(info, subject);
        }

        if (mode == NatsProvisioningMode.Existing)
        {
            throw new NatsException(
                NatsFailureKind.StreamNotFound,
                $"JetStream stream '{stream}' does not exist and provisioning.mode is 'existing'; create it with subject '{subject}' or use provisioning.mode 'ensure'",
                jetStreamErrorCode: StreamNotFound);
        }

        IReadOnlyList<string> owners = await FindStreamsBySubjectAsync(subject, cancellationToken).ConfigureAwait(false);
        if (owners.Count > 0)
        {
            throw SubjectOwned(stream, subject, owners);
        }

        return createIfMissing ? await CreateStreamAsync(stream, subject, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>
    /// Publishes with headers and <c>Nats-Msg-Id</c> and waits for the PubAck. <c>duplicate: true</c>
    /// is success: the stream already holds this attempt.
    /// </summary>
    public async Task<NatsPublishResult> PublishAsync(string subject, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> payload, string messageId, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> all = new(headers.Count + 1);
        all.AddRange(headers.Where(header => !string.Equals(header.Key, MessageIdHeader, StringComparison.OrdinalIgnoreCase)));
        all.Add(new(MessageIdHeader, messageId));

        NatsMessage reply;
        try
        {
            reply = await _connection.RequestAsync(subject, all, payload, _requestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException e) when (e.Kind == NatsFailureKind.NoResponders)
        {
            throw new NatsException(
                NatsFailureKind.NoResponders,
                $"no JetStream stream captures subject '{subject}' (no responders); the stream may be missing or JetStream may still be starting",
                e);
        }
        catch (NatsException e) when (e.Kind is NatsFailureKind.Timeout or NatsFailureKind.Disconnected)
        {
            throw new NatsException(
                e.Kind,
                $"no PubAck for message {messageId} on subject '{subject}': {e.Message}. The message may have been stored; retrying with the same Nats-Msg-Id is safe",
                e);
        }

        using JsonDocument ack = ParseJson(reply.Payload, $"the PubAck for subject '{subject}'");
        ThrowIfError(ack.RootElement, $"publishing to subject '{subject}'");
        JsonElement root = ack.RootElement;
        if (!root.TryGetProperty("stream", out JsonElement streamName) || streamName.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("seq", out JsonElement sequence) || !sequence.TryGetUInt64(out ulong seq))
        {
            throw new NatsException(NatsFailureKind.ProtocolError, $"the reply to a publish on subject '{subject}' is not a JetStream PubAck");
        }

        bool duplicate = root.TryGetProperty("duplicate", out JsonElement dup) && dup.ValueKind == JsonValueKind.True;
        return new NatsPublishResult(streamName.GetString()!, seq, duplicate);
    }

    private async Task<JsonDocument> ApiAsync(string api, byte[]? body, CancellationToken cancellationToken)
    {
        string subject = ApiPrefix + api;
        NatsMessage reply;
        try
        {
            reply = await _connection.RequestAsync(subject, headers: null, body ?? ReadOnlyMemory<byte>.Empty, _requestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException e) when (e.Kind == NatsFailureKind.NoResponders)
        {
            throw new NatsException(
                NatsFailureKind.JetStreamNotEnabled,
                $"JetStream is not enabled on NATS at {_connection.Endpoint} (no responders on {subject}); run the server with JetStream (-js) and enable it for the account",
                e);
        }

        return ParseJson(reply.Payload, $"the reply of {subject}");
    }

    private static JsonDocument ParseJson(ReadOnlyMemory<byte> payload, string what)
    {
        try
        {
            return JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new NatsException(NatsFailureKind.ProtocolError, $"{what} is not valid JSON", e);
        }
    }

    private static JetStreamStreamInfo RequireCaptures(JetStreamStreamInfo info, string subject) =>
        info.Captures(subject)
            ? info
            : throw new NatsException(
                NatsFailureKind.StreamSubjectMismatch,
                $"JetStream stream '{info.Name}' exists but does not capture subject '{subject}' (its subjects: {string.Join(", ", info.Subjects)}); existing streams are never modified, so add the subject to the stream or change nats.subject / nats.stream");

    private async Task<NatsException> SubjectOwnedAsync(string stream, string subject, CancellationToken cancellationToken) =>
        SubjectOwned(stream, subject, await FindStreamsBySubjectAsync(subject, cancellationToken).ConfigureAwait(false));

    private static NatsException SubjectOwned(string stream, string subject, IReadOnlyList<string> owners) =>
        new(
            NatsFailureKind.SubjectOwnedByOtherStream,
            owners.Count > 0
                ? $"subject '{subject}' is already captured by JetStream stream '{string.Join("', '", owners)}', so stream '{stream}' cannot be created for it; set nats.stream to '{owners[0]}' or use another subject"
                : $"subject '{subject}' overlaps the subjects of another JetStream stream, so stream '{stream}' cannot be created for it; use another subject",
            jetStreamErrorCode: SubjectsOverlap);

    private static int? ErrorCode(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out JsonElement error) && error.TryGetProperty("err_code", out JsonElement code) && code.TryGetInt32(out int value)
            ? value
            : null;

    private void ThrowIfError(JsonElement root, string doing)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out JsonElement error))
        {
            return;
        }

        int status = error.TryGetProperty("code", out JsonElement code) && code.TryGetInt32(out int c) ? c : 0;
        int? errCode = ErrorCode(root);
        string description = error.TryGetProperty("description", out JsonElement d) ? d.GetString() ?? string.Empty : string.Empty;
        string detail = string.Create(CultureInfo.InvariantCulture, $"{description} (code {status}, err_code {errCode?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
        if (errCode is JetStreamNotEnabledForAccount or JetStreamNotEnabled)
        {
            throw new NatsException(NatsFailureKind.JetStreamNotEnabled, $"JetStream is not enabled for this account on NATS at {_connection.Endpoint}: {detail}", jetStreamErrorCode: errCode);
        }

        if (errCode == StreamNotFound)
        {
            throw new NatsException(NatsFailureKind.StreamNotFound, $"{doing} failed: the stream does not exist: {detail}", jetStreamErrorCode: errCode);
        }

        // 503 from JetStream means "temporarily unavailable" (leader election, restart): retry later.
        throw new NatsException(NatsFailureKind.JetStreamError, $"{doing} failed: {detail}", isTransient: status == 503, jetStreamErrorCode: errCode);
    }

    private static JetStreamStreamInfo ParseStreamInfo(JsonElement root)
    {
        if (!root.TryGetProperty("config", out JsonElement config) || !config.TryGetProperty("name", out JsonElement name))
        {
            throw new NatsException(NatsFailureKind.ProtocolError, "a JetStream stream info reply has no config.name");
        }

        List<string> subjects = [];
        if (config.TryGetProperty("subjects", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement subject in list.EnumerateArray())
            {
                subjects.Add(subject.GetString() ?? string.Empty);
            }
        }

        ulong messages = 0;
        ulong lastSequence = 0;
        if (root.TryGetProperty("state", out JsonElement state))
        {
            messages = state.TryGetProperty("messages", out JsonElement m) && m.TryGetUInt64(out ulong mv) ? mv : 0;
            lastSequence = state.TryGetProperty("last_seq", out JsonElement l) && l.TryGetUInt64(out ulong lv) ? lv : 0;
        }

        return new JetStreamStreamInfo(name.GetString() ?? string.Empty, subjects, messages, lastSequence);
    }

    private static long Int64(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.TryGetInt64(out long result) ? result : 0;

    private static byte[] Json(Action<Utf8JsonWriter> writeProperties)
    {
        ArrayBufferWriter<byte> buffer = new();
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
