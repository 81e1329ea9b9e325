using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using LibraryNatsException = NATS.Client.Core.NatsException;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>The JetStream side of the publisher: provisioning (SPEC §6.2) and bounded, classified API calls.</summary>
public sealed partial class NatsEventPublisher
{
    /// <summary>
    /// Applies <c>provisioning.mode</c> (SPEC §6.2): the stream must capture the subject; a missing
    /// stream is created in <see cref="NatsProvisioningMode.Ensure"/> mode when
    /// <paramref name="createIfMissing"/>, otherwise only checked to be creatable (returns null).
    /// An existing stream is never modified.
    /// </summary>
    private async Task<StreamInfo?> PrepareStreamAsync(NatsSession session, bool createIfMissing, CancellationToken cancellationToken)
    {
        string subject = _options.Subject;
        StreamInfo? info = await GetStreamAsync(session, cancellationToken).ConfigureAwait(false);
        if (info is not null)
        {
            return RequireCaptures(info, subject);
        }

        if (_options.Provisioning == NatsProvisioningMode.Existing)
        {
            throw new NatsException(
                NatsFailureKind.StreamNotFound,
                $"JetStream stream '{StreamName}' does not exist and {EventSinkFields.ProvisioningMode} is 'existing'; create it with subject '{subject}' or use {EventSinkFields.ProvisioningMode} 'ensure'",
                jetStreamErrorCode: StreamNotFoundCode);
        }

        IReadOnlyList<string> owners = await StreamsOfSubjectAsync(session, cancellationToken).ConfigureAwait(false);
        if (owners.Count > 0)
        {
            throw SubjectOwned(subject, owners);
        }

        if (!createIfMissing)
        {
            return null;
        }

        try
        {
            INatsJSStream created = await ApiAsync(
                session,
                ct => session.JetStream.CreateStreamAsync(new StreamConfig(StreamName, [subject]), ct),
                $"creating stream '{StreamName}' for subject '{subject}'",
                cancellationToken).ConfigureAwait(false);
            return created.Info;
        }
        catch (NatsException e) when (e.JetStreamErrorCode == SubjectsOverlap)
        {
            throw SubjectOwned(subject, await StreamsOfSubjectAsync(session, cancellationToken).ConfigureAwait(false));
        }
        catch (NatsException e) when (e.JetStreamErrorCode == StreamNameInUse)
        {
            // Created concurrently by someone else: use it if it fits, never update it.
            StreamInfo? existing = await GetStreamAsync(session, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                throw;
            }

            return RequireCaptures(existing, subject);
        }
    }

    private async Task<StreamInfo?> GetStreamAsync(NatsSession session, CancellationToken cancellationToken)
    {
        try
        {
            INatsJSStream stream = await ApiAsync(session, ct => session.JetStream.GetStreamAsync(StreamName, cancellationToken: ct), $"reading stream '{StreamName}'", cancellationToken).ConfigureAwait(false);
            return stream.Info;
        }
        catch (NatsException e) when (e.JetStreamErrorCode == StreamNotFoundCode)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<string>> StreamsOfSubjectAsync(NatsSession session, CancellationToken cancellationToken) =>
        await ApiAsync(
            session,
            async ct =>
            {
                List<string> names = [];
                await foreach (string name in session.JetStream.ListStreamNamesAsync(_options.Subject, ct).ConfigureAwait(false))
                {
                    names.Add(name);
                }

                return (IReadOnlyList<string>)names;
            },
            $"looking up the streams of subject '{_options.Subject}'",
            cancellationToken).ConfigureAwait(false);

    /// <summary>One JetStream API call, bounded by <see cref="NatsSinkOptions.RequestTimeout"/>, its failures classified.</summary>
    private async Task<T> ApiAsync<T>(NatsSession session, Func<CancellationToken, ValueTask<T>> call, string doing, CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Closing);
        limit.CancelAfter(_options.RequestTimeout);
        try
        {
            return await call(limit.Token).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException)
        {
            throw new NatsException(
                NatsFailureKind.JetStreamNotEnabled,
                $"JetStream is not enabled on NATS at {session.Settings.Endpoint} (no responders on $JS.API while {doing}); run the server with JetStream (-js) and enable it for the account");
        }
        catch (NatsJSApiException e)
        {
            throw FromApiError(session, e.Error, doing);
        }
        catch (Exception e) when (e is OperationCanceledException or LibraryNatsException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            ThrowIfClosed(session);
            bool open = session.Connection.ConnectionState == NatsConnectionState.Open;
            throw new NatsException(
                open ? NatsFailureKind.Timeout : NatsFailureKind.Disconnected,
                open
                    ? $"no reply from NATS at {session.Settings.Endpoint} within {Seconds(_options.RequestTimeout)} s while {doing}"
                    : $"not connected to NATS at {session.Settings.Endpoint} while {doing}; reconnecting",
                isTransient: true);
        }
    }

    private static NatsException FromApiError(NatsSession session, ApiError error, string doing)
    {
        string detail = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{error.Description} (code {error.Code}, err_code {error.ErrCode})");
        if (error.ErrCode is JetStreamNotEnabledForAccount or JetStreamNotEnabled)
        {
            return new NatsException(NatsFailureKind.JetStreamNotEnabled, $"JetStream is not enabled for this account on NATS at {session.Settings.Endpoint}: {detail}", jetStreamErrorCode: error.ErrCode);
        }

        if (error.ErrCode == StreamNotFoundCode)
        {
            return new NatsException(NatsFailureKind.StreamNotFound, $"{doing} failed: the stream does not exist: {detail}", jetStreamErrorCode: error.ErrCode);
        }

        // 503 from JetStream means "temporarily unavailable" (leader election, restart): retry later.
        return new NatsException(NatsFailureKind.JetStreamError, $"{doing} failed: {detail}", isTransient: error.Code == 503, jetStreamErrorCode: error.ErrCode);
    }

    private static StreamInfo RequireCaptures(StreamInfo info, string subject)
    {
        ICollection<string> subjects = info.Config.Subjects ?? [];
        return subjects.Any(pattern => NatsSubject.Matches(pattern, subject))
            ? info
            : throw new NatsException(
                NatsFailureKind.StreamSubjectMismatch,
                $"JetStream stream '{info.Config.Name}' exists but does not capture subject '{subject}' (its subjects: {string.Join(", ", subjects)}); existing streams are never modified, so add the subject to the stream or change {EventSinkFields.NatsSubject} / {EventSinkFields.NatsStream}");
    }

    private NatsException SubjectOwned(string subject, IReadOnlyList<string> owners) =>
        new(
            NatsFailureKind.SubjectOwnedByOtherStream,
            owners.Count > 0
                ? $"subject '{subject}' is already captured by JetStream stream '{string.Join("', '", owners)}', so stream '{StreamName}' cannot be created for it; set {EventSinkFields.NatsStream} to '{owners[0]}' or use another subject"
                : $"subject '{subject}' overlaps the subjects of another JetStream stream, so stream '{StreamName}' cannot be created for it; use another subject",
            jetStreamErrorCode: SubjectsOverlap);
}
