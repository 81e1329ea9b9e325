using System.Net;

namespace Kollect.Tests.Integration.Kube;

/// <summary>
/// Wraps the client's real handler and counts responses whose content has not been disposed,
/// to prove the client and informer leak no connections.
/// </summary>
public sealed class ResponseCountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _open;
    private int _total;

    public int Open => Volatile.Read(ref _open);

    public int Total => Volatile.Read(ref _total);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _total);
        response.Content = new CountedContent(response.Content, () => Interlocked.Decrement(ref _open));
        return response;
    }

    private sealed class CountedContent : HttpContent
    {
        private readonly HttpContent _inner;
        private Action? _onDispose;

        public CountedContent(HttpContent inner, Action onDispose)
        {
            _inner = inner;
            _onDispose = onDispose;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream, context);

        protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Interlocked.Exchange(ref _onDispose, null)?.Invoke();
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
