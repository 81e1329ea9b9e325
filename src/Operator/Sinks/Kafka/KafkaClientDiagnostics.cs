using Confluent.Kafka;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Remembers the last connection-level error a librdkafka client reported (rejected login,
/// failed TLS handshake, all brokers down) and forwards scrubbed log lines.
/// </summary>
/// <remarks>
/// librdkafka reports such failures as client errors while messages and metadata requests simply
/// run into their timeouts; this lets the sink report the cause instead of "timed out".
/// </remarks>
internal sealed class KafkaClientDiagnostics
{
    private readonly KafkaProducerConfiguration _configuration;
    private readonly Action<string>? _log;
    private readonly TaskCompletionSource<Error> _firstConnectionFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private KafkaConnectionError? _lastConnectionError;
    private volatile bool _isFatal;

    public KafkaClientDiagnostics(KafkaProducerConfiguration configuration, Action<string>? log)
    {
        _configuration = configuration;
        _log = log;
    }

    /// <summary>Set once the client hit a fatal error (idempotence state lost): it must be rebuilt.</summary>
    public bool IsFatal => _isFatal;

    /// <summary>Completes with the first authentication, TLS or all-brokers-down error.</summary>
    public Task<Error> FirstConnectionFailure => _firstConnectionFailure.Task;

    /// <summary>The last connection-level error, with its text scrubbed of secrets.</summary>
    public KafkaConnectionError? LastConnectionError => Volatile.Read(ref _lastConnectionError);

    public void OnError(Error error)
    {
        if (error.IsFatal)
        {
            _isFatal = true;
        }

        var code = KafkaErrorClassifier.RefineConnectionError(error.Code, error.Reason);
        if (code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed or ErrorCode.IllegalSaslState
            or ErrorCode.UnsupportedSaslMechanism or ErrorCode.Local_Ssl or ErrorCode.Local_AllBrokersDown)
        {
            // All-brokers-down does not replace a more telling login or TLS cause seen before it.
            var last = LastConnectionError;
            if (code != ErrorCode.Local_AllBrokersDown || last is null || last.Code == ErrorCode.Local_AllBrokersDown)
            {
                Volatile.Write(ref _lastConnectionError, new KafkaConnectionError(code, _configuration.Scrub(error.Reason)));
            }

            _firstConnectionFailure.TrySetResult(error);
        }

        _log?.Invoke(_configuration.Scrub($"kafka client error {error.Code}: {error.Reason}"));
    }

    public void OnLog(LogMessage message)
    {
        // librdkafka writes its log to stderr unless a handler is set; route it, scrubbed.
        if (_log is not null && message.Level <= SyslogLevel.Notice)
        {
            _log(_configuration.Scrub($"librdkafka {message.Level} {message.Facility}: {message.Message}"));
        }
    }

    /// <summary>Forgets the connection error after a successful delivery proved the connection works.</summary>
    public void ClearConnectionError() => Volatile.Write(ref _lastConnectionError, null);
}
