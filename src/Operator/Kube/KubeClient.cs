using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Authentication;
using k8s.Models;

namespace Kollect.Operator.Kube;

/// <summary>
/// Our request code over KubernetesClient.Aot's configuration and credentials (SPEC §7): get,
/// list with pagination, watch, create, update, merge patch (also of <c>/status</c>), delete.
/// Ours because the library has no watch and its typed client roots its whole-API JSON context
/// (+13.5 MB, docs/benchmarks.md). Objects are raw <see cref="JsonObject"/>s or typed through a
/// caller-supplied <see cref="JsonTypeInfo{T}"/>; errors are <see cref="KubeApiException"/>s
/// carrying the server's Status. Every response is disposed.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private const string MergePatchContentType = "application/merge-patch+json";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly object _credentialsGate = new();
    private ServiceClientCredentials? _credentials;

    public KubeClient(KubeClientConfig config)
        : this(config, CreateHandler(config))
    {
    }

    /// <summary>Uses <paramref name="handler"/> (made by <see cref="CreateHandler"/>, possibly wrapped) for every request.</summary>
    public KubeClient(KubeClientConfig config, HttpMessageHandler handler)
    {
        Config = config;
        _credentials = config.Credentials;
        _http = new HttpClient(handler) { BaseAddress = config.Server, Timeout = Timeout.InfiniteTimeSpan };
        Discovery = new KubeDiscovery(this);
    }

    public KubeClientConfig Config { get; }

    public KubeDiscovery Discovery { get; }

    /// <summary>
    /// The TLS setup the library's configuration describes: its CA certificates (checked with the
    /// library's chain validation), skip-verify, the TLS server name and the client certificate
    /// (the library's loader of it is internal, so it is read here from the same fields).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(KubeClientConfig config)
    {
        var library = config.Library;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.GZip,
        };
        var authorities = library.SslCaCerts;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            library.SkipTlsVerify
            || errors == SslPolicyErrors.None
            || (authorities is { Count: > 0 } && certificate is not null && chain is not null
                && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == 0
                && Kubernetes.CertificateValidationCallBack(sender, authorities, certificate, chain, errors));
        if (!string.IsNullOrEmpty(library.TlsServerName))
        {
            handler.SslOptions.TargetHost = library.TlsServerName;
        }
        if (ClientCertificate(library) is { } certificate)
        {
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }
        return handler;
    }

    /// <summary>The client certificate with its key from the library's configuration (data fields or files), or null.</summary>
    internal static X509Certificate2? ClientCertificate(KubernetesClientConfiguration library)
    {
        if (!string.IsNullOrEmpty(library.ClientCertificateData) && !string.IsNullOrEmpty(library.ClientCertificateKeyData))
        {
            return X509Certificate2.CreateFromPem(
                Encoding.UTF8.GetString(Convert.FromBase64String(library.ClientCertificateData)),
                Encoding.UTF8.GetString(Convert.FromBase64String(library.ClientCertificateKeyData)));
        }
        return !string.IsNullOrEmpty(library.ClientCertificateFilePath) && !string.IsNullOrEmpty(library.ClientKeyFilePath)
            ? X509Certificate2.CreateFromPemFile(library.ClientCertificateFilePath, library.ClientKeyFilePath)
            : null;
    }

    public async Task<JsonObject> GetAsync(KubeResource resource, string? namespaceName, string name, CancellationToken cancellationToken) =>
        ParseObject(await SendAsync(HttpMethod.Get, resource.ItemPath(namespaceName, name), null, null, cancellationToken).ConfigureAwait(false));

    public async Task<T> GetAsync<T>(KubeResource resource, string? namespaceName, string name, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        Deserialize(await SendAsync(HttpMethod.Get, resource.ItemPath(namespaceName, name), null, null, cancellationToken).ConfigureAwait(false), typeInfo);

    /// <summary>Returns null instead of throwing when the object does not exist.</summary>
    public async Task<T?> TryGetAsync<T>(KubeResource resource, string? namespaceName, string name, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await GetAsync(resource, namespaceName, name, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>One page of a LIST (pass <see cref="ListOptions.Limit"/> and <see cref="ListOptions.Continue"/> to page).</summary>
    public async Task<KubeListPage> ListPageAsync(KubeResource resource, string? namespaceName, ListOptions options, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, resource.CollectionPath(namespaceName) + options.ToQuery(), null, null, cancellationToken).ConfigureAwait(false);
        var list = ParseObject(body);
        var items = new List<JsonObject>();
        if (list["items"] is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is JsonObject obj)
                {
                    // Items of a list carry no apiVersion/kind; restore them so each object stands alone.
                    obj["apiVersion"] ??= resource.ApiVersion;
                    obj["kind"] ??= resource.Kind;
                    items.Add(obj);
                }
            }
            array.Clear();
        }
        var continueToken = (string?)list["metadata"]?["continue"];
        return new KubeListPage(items, (string?)list["metadata"]?["resourceVersion"] ?? "", string.IsNullOrEmpty(continueToken) ? null : continueToken);
    }

    /// <summary>Every page of a LIST, fetched <paramref name="pageSize"/> items at a time; the resourceVersion is the snapshot's.</summary>
    public async Task<KubeListPage> ListAllAsync(KubeResource resource, string? namespaceName, ListOptions? options, CancellationToken cancellationToken, int pageSize = 500)
    {
        options = (options ?? new ListOptions()) with { Limit = pageSize, Continue = null };
        var items = new List<JsonObject>();
        string resourceVersion;
        while (true)
        {
            var page = await ListPageAsync(resource, namespaceName, options, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            resourceVersion = page.ResourceVersion;
            if (page.Continue is null)
            {
                break;
            }
            options = options with { Continue = page.Continue };
        }
        return new KubeListPage(items, resourceVersion, null);
    }

    /// <summary>
    /// Opens a watch from <paramref name="resourceVersion"/> with bookmarks and yields events as
    /// they arrive, until the server ends the stream (after <paramref name="timeoutSeconds"/>) or
    /// <paramref name="cancellationToken"/> fires. An ERROR event is yielded, not thrown.
    /// </summary>
    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(
        KubeResource resource, string? namespaceName, string? resourceVersion, ListOptions? options,
        int timeoutSeconds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = (options ?? new ListOptions()) with { ResourceVersion = resourceVersion, Limit = null, Continue = null };
        var path = resource.CollectionPath(namespaceName) + query.ToQuery(
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // The server ends the watch after timeoutSeconds; a stream still open well past that is a
        // dead connection (e.g. a silent network partition), so give up on it and let the caller resume.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds) + RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await SendForResponseAsync(HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"watch on {path} got no answer from {Config.Server} in time.");
        }
        using var ownedResponse = response;
        using var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"watch on {path} stayed open past its {timeoutSeconds} s timeout without ending; the connection is presumed dead.");
            }
            if (line is null)
            {
                break;
            }
            if (line.Length == 0)
            {
                continue;
            }
            var node = JsonNode.Parse(line) as JsonObject
                ?? throw new InvalidDataException($"watch on {path} sent a line that is not a JSON object.");
            var type = (string?)node["type"] ?? throw new InvalidDataException($"watch on {path} sent an event without type.");
            var obj = node["object"] as JsonObject ?? new JsonObject();
            node.Remove("object");
            yield return new KubeWatchEvent(type, obj);
        }
    }

    public async Task<JsonObject> CreateAsync(KubeResource resource, string? namespaceName, JsonObject obj, CancellationToken cancellationToken) =>
        ParseObject(await SendAsync(HttpMethod.Post, resource.CollectionPath(namespaceName), Encoding.UTF8.GetBytes(obj.ToJsonString()), "application/json", cancellationToken).ConfigureAwait(false));

    public async Task<T> CreateAsync<T>(KubeResource resource, string? namespaceName, T obj, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        Deserialize(await SendAsync(HttpMethod.Post, resource.CollectionPath(namespaceName), JsonSerializer.SerializeToUtf8Bytes(obj, typeInfo), "application/json", cancellationToken).ConfigureAwait(false), typeInfo);

    /// <summary>PUT with the object's resourceVersion: a stale version fails with <see cref="KubeConflictException"/>.</summary>
    public async Task<JsonObject> UpdateAsync(KubeResource resource, string? namespaceName, string name, JsonObject obj, CancellationToken cancellationToken) =>
        ParseObject(await SendAsync(HttpMethod.Put, resource.ItemPath(namespaceName, name), Encoding.UTF8.GetBytes(obj.ToJsonString()), "application/json", cancellationToken).ConfigureAwait(false));

    public async Task<T> UpdateAsync<T>(KubeResource resource, string? namespaceName, string name, T obj, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        Deserialize(await SendAsync(HttpMethod.Put, resource.ItemPath(namespaceName, name), JsonSerializer.SerializeToUtf8Bytes(obj, typeInfo), "application/json", cancellationToken).ConfigureAwait(false), typeInfo);

    /// <summary>JSON merge patch (RFC 7386) of the object.</summary>
    public async Task<JsonObject> MergePatchAsync(KubeResource resource, string? namespaceName, string name, JsonObject patch, CancellationToken cancellationToken) =>
        ParseObject(await SendAsync(HttpMethod.Patch, resource.ItemPath(namespaceName, name), Encoding.UTF8.GetBytes(patch.ToJsonString()), MergePatchContentType, cancellationToken).ConfigureAwait(false));

    /// <summary>JSON merge patch of the <c>/status</c> subresource (SPEC §7: status is written by merge patch).</summary>
    public async Task<JsonObject> MergePatchStatusAsync(KubeResource resource, string? namespaceName, string name, JsonObject patch, CancellationToken cancellationToken) =>
        ParseObject(await SendAsync(HttpMethod.Patch, resource.ItemPath(namespaceName, name) + "/status", Encoding.UTF8.GetBytes(patch.ToJsonString()), MergePatchContentType, cancellationToken).ConfigureAwait(false));

    /// <summary>Deletes the object; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(KubeResource resource, string? namespaceName, string name, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, resource.ItemPath(namespaceName, name), null, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>GET of any path (discovery documents, <c>/version</c>), typed.</summary>
    public async Task<T> GetPathAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        Deserialize(await SendAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false), typeInfo);

    /// <summary>GET of any path (discovery documents, <c>/version</c>); the body as JSON.</summary>
    public async Task<JsonObject> GetRawAsync(string path, CancellationToken cancellationToken) =>
        ParseObject(await SendAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false));

    public void Dispose() => _http.Dispose();

    private async Task<byte[]> SendAsync(HttpMethod method, string path, byte[]? body, string? contentType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await SendForResponseAsync(method, path, body, contentType, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {path} got no answer from {Config.Server} within {RequestTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>
    /// Sends with the library's credentials; after a 401 it asks for fresh ones (a rotated token
    /// file, a re-run exec plugin) once and retries. Non-success answers throw.
    /// </summary>
    private async Task<HttpResponseMessage> SendForResponseAsync(
        HttpMethod method, string path, byte[]? body, string? contentType, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.UserAgent.ParseAdd("kollect/0.1");
            ServiceClientCredentials? credentials;
            lock (_credentialsGate)
            {
                credentials = _credentials;
            }
            if (credentials is not null)
            {
                try
                {
                    await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
                {
                    // A token file that vanished or an exec plugin that now fails: transient for the
                    // caller, which backs off and retries rather than crashing (SPEC §7).
                    throw new HttpRequestException($"{method} {path}: the credentials of {Config.Source} failed: {e.Message.Split('\n', 2)[0]}", e);
                }
            }
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
            }
            var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && Config.RefreshCredentials is { } refresh)
                {
                    ServiceClientCredentials? fresh;
                    try
                    {
                        fresh = refresh();
                    }
                    catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException)
                    {
                        throw new HttpRequestException($"{method} {path}: fresh credentials of {Config.Source} failed: {e.Message.Split('\n', 2)[0]}", e);
                    }
                    lock (_credentialsGate)
                    {
                        _credentials = fresh;
                    }
                    continue;
                }
                var errorBody = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                throw CreateError(response.StatusCode, method.Method, path, errorBody);
            }
        }
    }

    internal static KubeApiException CreateError(HttpStatusCode code, string method, string path, byte[] body)
    {
        V1Status? status = null;
        try
        {
            status = body.Length > 0 ? JsonSerializer.Deserialize(body, KubeJsonContext.Default.V1Status) : null;
        }
        catch (JsonException)
        {
            status = new V1Status { Code = (int)code, Message = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)) };
        }
        return code == HttpStatusCode.Conflict && status?.Reason != "AlreadyExists"
            ? new KubeConflictException(method, path, status)
            : new KubeApiException(code, method, path, status);
    }

    private static JsonObject ParseObject(byte[] body) =>
        JsonNode.Parse(body) as JsonObject ?? throw new InvalidDataException("the API server answered with JSON that is not an object.");

    private static T Deserialize<T>(byte[] body, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(body, typeInfo) ?? throw new InvalidDataException($"the API server answered with null for {typeof(T).Name}.");
}
