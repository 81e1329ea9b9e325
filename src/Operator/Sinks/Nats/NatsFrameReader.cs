namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Reads server operations from a stream through one growing buffer and <see cref="NatsProtocol.TryParse"/>.
/// </summary>
internal sealed class NatsFrameReader
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;

    // The server's hard ceiling for max_payload is 64 MiB; one message plus its control line must fit.
    private const int MaxBufferSize = 2 * 64 * 1024 * 1024;

    public NatsFrameReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>True when bytes beyond the last parsed operation are waiting in the buffer.</summary>
    public bool HasBufferedData => _end > _start;

    /// <summary>Reads the next operation; throws <see cref="EndOfStreamException"/> when the server closes.</summary>
    public async ValueTask<NatsServerOp> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_end > _start && NatsProtocol.TryParse(_buffer.AsSpan(_start, _end - _start), out NatsServerOp? op, out int consumed))
            {
                _start += consumed;
                if (_start == _end)
                {
                    _start = _end = 0;
                }

                return op!;
            }

            MakeRoom();
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("the NATS server closed the connection");
            }

            _end += read;
        }
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        if (_buffer.Length >= MaxBufferSize)
        {
            throw new NatsException(NatsFailureKind.ProtocolError, $"a message from the NATS server is larger than {MaxBufferSize} bytes");
        }

        Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxBufferSize));
    }
}
