namespace Kollect.Operator.Kube;

/// <summary>
/// A token read from a file that the kubelet rotates (projected service-account token, or
/// kubeconfig <c>tokenFile</c>). Re-read when older than <see cref="RefreshInterval"/> or after a 401,
/// so a rotation is picked up without a restart (SPEC §7).
/// </summary>
public sealed class TokenFileSource : IBearerTokenSource
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _readAt;

    public TokenFileSource(string path, TimeSpan? refreshInterval = null, TimeProvider? time = null)
    {
        _path = path;
        RefreshInterval = refreshInterval ?? TimeSpan.FromMinutes(1);
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan RefreshInterval { get; }

    public string Path => _path;

    public async ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_token is null || forceRefresh || now - _readAt >= RefreshInterval)
            {
                try
                {
                    _token = (await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false)).Trim();
                    _readAt = now;
                }
                catch (IOException) when (_token is not null)
                {
                    // Mid-rotation the file can be briefly missing; keep the last token until the next read.
                }
            }
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
