// Over 400 lines: the one HTTP front of the server (routing, watch streaming, Status errors); what it delegates to lives in its own types.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// HTTP front of the server: health and version, discovery, the fault-injection control
/// endpoint, and resource requests (get/list/watch/create/update/patch/delete), answering errors
/// as <c>metav1.Status</c> and tables when kubectl asks for them.
/// </summary>
public sealed class ApiRequestHandler
{
    private const string TableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private readonly KubeApiServerOptions _options;
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly ResourceOperations _operations;
    private readonly FaultInjector _faults;
    private readonly ServiceAccountTokens _tokens;
    private readonly RbacAuthorizer? _authorizer;
    private readonly TimeProvider _time;

    public ApiRequestHandler(KubeApiServerOptions options, ObjectStore store, ResourceRegistry registry, ResourceOperations operations, FaultInjector faults,
        ServiceAccountTokens tokens, RbacAuthorizer? authorizer, TimeProvider time)
    {
        _options = options;
        _store = store;
        _registry = registry;
        _operations = operations;
        _faults = faults;
        _tokens = tokens;
        _authorizer = authorizer;
        _time = time;
    }

    /// <summary>host:port as clients reach the server, for <c>/api</c>'s serverAddressByClientCIDRs.</summary>
    public string ServerAddress { get; set; } = "127.0.0.1";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        try
        {
            if (path.StartsWith("/_kollect-test/", StringComparison.Ordinal))
            {
                await HandleControlAsync(context, path);
                return;
            }
            var target = RequestTarget.Parse(path);
            if (_authorizer is not null)
            {
                var user = RequestAuthenticator.Authenticate(request.Headers.Authorization, _tokens, _registry);
                var attributes = RequestAttributes.For(user, request.Method, path, target, KubeVerb(request, target), request.Query["fieldSelector"]);
                if (!_authorizer.Allows(attributes))
                {
                    throw ApiError.Forbidden(attributes);
                }
            }
            var delay = _faults.DelayFor(path);
            if (delay > 0)
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            if (_faults.TakeFailure(path, request.Method, KubeVerb(request, target)) is { } injected)
            {
                if (injected.Code == 429)
                {
                    context.Response.Headers["Retry-After"] = "1";
                }
                throw injected;
            }
            if (target is null)
            {
                await HandleNonResourceAsync(context, path);
            }
            else
            {
                await HandleResourceAsync(context, target);
            }
        }
        catch (ApiError error)
        {
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, error.Code, error.ToStatus());
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (watch closed); nothing to answer.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug in this test server: answer like kube-apiserver's panic handler and keep the trace.
            Console.Error.WriteLine($"{request.Method} {path} failed: {e}");
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, 500, ApiError.BuildStatus(500, "InternalError", $"Internal error occurred: {e.Message}", null));
            }
        }
        finally
        {
            if (_options.LogRequests)
            {
                Console.WriteLine($"{request.Method} {path}{request.QueryString} accept={request.Headers.Accept} content-type={request.ContentType} -> {context.Response.StatusCode}");
            }
        }
    }

    private async Task HandleNonResourceAsync(HttpContext context, string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonObject? document = segments switch
        {
            ["version"] => new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "32",
                ["gitVersion"] = "v1.32.0-kollect-test",
                ["gitCommit"] = "0000000000000000000000000000000000000000",
                ["gitTreeState"] = "clean",
                ["buildDate"] = "2026-01-01T00:00:00Z",
                ["goVersion"] = "go1.23.0",
                ["compiler"] = "gc",
                ["platform"] = "linux/amd64",
            },
            ["api"] => DiscoveryDocuments.CoreVersions(ServerAddress),
            ["api", var version] => DiscoveryDocuments.ResourceList(_registry, "", version),
            ["apis"] => DiscoveryDocuments.GroupList(_registry),
            ["apis", var group] => DiscoveryDocuments.Group(_registry, group),
            ["apis", var group, var version] => DiscoveryDocuments.ResourceList(_registry, group, version),
            ["openapi", "v3"] => OpenApiDocuments.Root(_registry),
            ["openapi", "v3", "api", var version] => OpenApiDocuments.GroupVersion(_registry, "", version),
            ["openapi", "v3", "apis", var group, var version] => OpenApiDocuments.GroupVersion(_registry, group, version),
            _ => null,
        };
        if (segments is ["openapi", "v2"])
        {
            // kubectl reads /openapi/v2 as protobuf for client-side validation (it does so for
            // kind: List manifests); an empty message is a valid, empty OpenAPI v2 document.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = 0;
            return;
        }
        if (segments is ["healthz" or "readyz" or "livez", ..])
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok");
            return;
        }
        if (document is null)
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }
        await WriteJsonAsync(context, 200, document);
    }

    private async Task HandleResourceAsync(HttpContext context, RequestTarget target)
    {
        var request = context.Request;
        var type = _registry.Find(target.Group, target.Version, target.Plural)
            ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        if (!type.Namespaced && target.Namespace is not null)
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }
        if (target is { Subresource: "token", Name: not null } && type.HasTokenSubresource)
        {
            if (request.Method != "POST")
            {
                throw new ApiError(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({request.Method} {request.Path})");
            }
            var tokenRequest = IsProtobuf(request) ? ProtobufObjectDecoder.Decode(await ReadBytesAsync(request)) : KubeJson.ParseBody(await ReadBodyAsync(request));
            await WriteJsonAsync(context, 201, _tokens.Issue(type, target.Namespace!, target.Name, tokenRequest));
            return;
        }
        if (target.Subresource is not null && (target.Subresource != "status" || !type.HasStatusSubresource))
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }
        var query = request.Query;
        var dryRun = query.ContainsKey("dryRun");
        var validation = ((string?)query["fieldValidation"]) switch
        {
            "Strict" => ResourceOperations.FieldValidation.Strict,
            "Ignore" => ResourceOperations.FieldValidation.Ignore,
            _ => ResourceOperations.FieldValidation.Warn,
        };
        var wantsTable = TableConverter.IsTableRequested(request.Headers.Accept);
        switch (request.Method)
        {
            case "GET" when target.Name is null && (target.LegacyWatch || IsTrue(query["watch"])):
                await WatchAsync(context, type, target.Namespace, wantsTable);
                return;
            case "GET" when target.Name is null:
            {
                var page = _operations.List(type, target.Namespace,
                    LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]),
                    ParseInt(query["limit"]), query["continue"]);
                if (wantsTable)
                {
                    await WriteJsonAsync(context, 200, TableConverter.Convert(type, page.Items, page.ResourceVersion, page.Continue, _time.GetUtcNow()), TableContentType);
                    return;
                }
                var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion };
                if (page.Continue is not null)
                {
                    metadata["continue"] = page.Continue;
                    if (page.RemainingItemCount is { } remaining)
                    {
                        metadata["remainingItemCount"] = remaining;
                    }
                }
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = type.ListKind,
                    ["apiVersion"] = type.ApiVersion,
                    ["metadata"] = metadata,
                    ["items"] = new JsonArray(page.Items.Cast<JsonNode?>().ToArray()),
                });
                return;
            }
            case "GET":
            {
                var obj = _operations.Get(type, target.Namespace, target.Name!);
                if (wantsTable)
                {
                    await WriteJsonAsync(context, 200, TableConverter.Convert(type, [obj], (string)obj["metadata"]!["resourceVersion"]!, null, _time.GetUtcNow()), TableContentType);
                    return;
                }
                await WriteJsonAsync(context, 200, obj);
                return;
            }
            case "POST" when target.Name is null && IsProtobuf(request):
                // kubectl's typed generators (create namespace/configmap/secret) send protobuf.
                await WriteResultAsync(context, _operations.Create(type, target.Namespace, ProtobufObjectDecoder.Decode(await ReadBytesAsync(request)), validation, dryRun));
                return;
            case "POST" or "PUT" or "PATCH" when IsProtobuf(request):
                throw new ApiError(415, "UnsupportedMediaType",
                    "the kollect test API server reads protobuf only when creating namespaces, configmaps and secrets; send JSON");
            case "POST" when target.Name is null:
                await WriteResultAsync(context, _operations.Create(type, target.Namespace, KubeJson.ParseBody(await ReadBodyAsync(request)), validation, dryRun));
                return;
            case "PUT" when target.Name is not null:
                await WriteResultAsync(context, _operations.Update(type, target.Namespace, target.Name, target.Subresource, KubeJson.ParseBody(await ReadBodyAsync(request)), validation, dryRun));
                return;
            case "PATCH" when target.Name is not null:
                await WriteResultAsync(context, _operations.Patch(type, target.Namespace, target.Name, target.Subresource, request.ContentType ?? "", KubeJson.ParseBody(await ReadBodyAsync(request)), validation, dryRun));
                return;
            case "DELETE" when target.Name is not null:
            {
                var body = await ReadBodyAsync(request);
                await WriteResultAsync(context, _operations.Delete(type, target.Namespace, target.Name, body.Length == 0 ? null : KubeJson.ParseBody(body), dryRun));
                return;
            }
            case "DELETE":
            {
                var deleted = _operations.DeleteCollection(type, target.Namespace,
                    LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]), dryRun);
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = type.ListKind,
                    ["apiVersion"] = type.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = _store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) },
                    ["items"] = new JsonArray(deleted.Cast<JsonNode?>().ToArray()),
                });
                return;
            }
            default:
                throw new ApiError(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({request.Method} {request.Path})");
        }
    }

    /// <summary>
    /// A watch: HTTP 200 with newline-delimited <c>{"type":…,"object":…}</c> events until the
    /// timeout, the client leaving, or a dropped watch. A too-old resourceVersion yields one
    /// ERROR event carrying a 410 Expired Status (as the watch cache does), not an HTTP 410.
    /// </summary>
    private async Task WatchAsync(HttpContext context, ApiResourceType type, string? ns, bool wantsTable)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        long fromRv = 0;
        if (!string.IsNullOrEmpty(query["resourceVersion"]) &&
            !long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out fromRv))
        {
            throw ApiError.BadRequest($"invalid resourceVersion \"{query["resourceVersion"]}\": resource versions here are decimal integers");
        }
        var timeout = ParseInt(query["timeoutSeconds"]) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : _options.DefaultWatchTimeout;
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = wantsTable ? TableContentType : "application/json";
        response.Headers.CacheControl = "no-cache, private";

        WatchSubscription subscription;
        try
        {
            subscription = _store.Subscribe(type.StorageKey, ns, fromRv);
        }
        catch (ApiError error)
        {
            await response.StartAsync(context.RequestAborted);
            await WriteEventAsync(response, "ERROR", error.ToStatus(), context.RequestAborted);
            return;
        }
        using var _ = subscription;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        stop.CancelAfter(timeout);
        await response.StartAsync(stop.Token);
        await response.Body.FlushAsync(stop.Token);
        Task? bookmarks = IsTrue(query["allowWatchBookmarks"]) ? SendBookmarksAsync(subscription, type, stop.Token) : null;
        try
        {
            await foreach (var e in subscription.Events.Reader.ReadAllAsync(stop.Token))
            {
                if (e.Type == "BOOKMARK")
                {
                    if (!wantsTable)
                    {
                        await WriteEventAsync(response, "BOOKMARK", e.Object, stop.Token);
                    }
                    continue;
                }
                var delivered = FilteredEventType(e, labels, fields);
                if (delivered is null)
                {
                    continue;
                }
                JsonNode payload = wantsTable
                    ? TableConverter.Convert(type, [e.Object], e.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, _time.GetUtcNow())
                    : e.Object;
                await WriteEventAsync(response, delivered, payload, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Timeout or client gone: the watch simply ends, as on a real server.
        }
        finally
        {
            await stop.CancelAsync();
            if (bookmarks is not null)
            {
                await bookmarks;
            }
        }
    }

    private async Task SendBookmarksAsync(WatchSubscription subscription, ApiResourceType type, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.BookmarkInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                _store.EnqueueBookmark(subscription, type);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The watch ended.
        }
    }

    /// <summary>
    /// The event a selector watch sees: an object that starts matching arrives as ADDED, one that
    /// stops matching as DELETED (kube-apiserver's watch cache does the same).
    /// </summary>
    private static string? FilteredEventType(WatchEvent e, LabelSelector labels, FieldSelector fields)
    {
        bool Matches(JsonObject? o) => o is not null && labels.Matches(o) && fields.Matches(o);
        var now = Matches(e.Object);
        var before = Matches(e.Previous);
        return e.Type switch
        {
            "ADDED" => now ? "ADDED" : null,
            "DELETED" => now || before ? "DELETED" : null,
            _ => (now, before) switch
            {
                (true, true) => "MODIFIED",
                (true, false) => "ADDED",
                (false, true) => "DELETED",
                _ => null,
            },
        };
    }

    private static async Task WriteEventAsync(HttpResponse response, string type, JsonNode obj, CancellationToken cancellationToken)
    {
        var line = "{\"type\":\"" + type + "\",\"object\":" + KubeJson.Serialize(obj) + "}\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private async Task HandleControlAsync(HttpContext context, string path)
    {
        if (path != "/_kollect-test/faults")
        {
            throw new ApiError(404, "NotFound", $"unknown control endpoint {path}; see tests/KubeApiServer/README.md");
        }
        var result = new JsonObject();
        switch (context.Request.Method)
        {
            case "GET":
                break;
            case "DELETE":
                _faults.Clear();
                break;
            case "POST":
                var body = KubeJson.ParseBody(await ReadBodyAsync(context.Request)) as JsonObject
                    ?? throw ApiError.BadRequest("fault request must be a JSON object");
                if (body["fail"] is JsonObject fail)
                {
                    _faults.AddFailure(
                        fail["count"] is JsonValue c ? c.GetValue<int>() : 1,
                        fail["status"] is JsonValue s ? s.GetValue<int>() : 500,
                        (string?)fail["pathPrefix"], (string?)fail["verb"], (string?)fail["message"]);
                }
                if (body["delayMs"] is JsonValue delay)
                {
                    _faults.SetDelay(delay.GetValue<int>(), (string?)body["delayPathPrefix"]);
                }
                if (IsTrue(body["compact"]))
                {
                    result["compactedAt"] = _store.Compact().ToString(CultureInfo.InvariantCulture);
                }
                if (IsTrue(body["dropWatches"]))
                {
                    result["droppedWatches"] = _store.DropAllWatches();
                }
                break;
            default:
                throw new ApiError(405, "MethodNotAllowed", "use GET, POST or DELETE on /_kollect-test/faults");
        }
        result["active"] = _faults.Describe();
        result["resourceVersion"] = _store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture);
        await WriteJsonAsync(context, 200, result);
    }

    private static string KubeVerb(HttpRequest request, RequestTarget? target) => request.Method switch
    {
        "GET" when target is { Name: null } => target.LegacyWatch || IsTrue(request.Query["watch"]) ? "watch" : "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" when target is { Name: null } => "deletecollection",
        "DELETE" => "delete",
        _ => request.Method.ToLowerInvariant(),
    };

    private static async Task WriteResultAsync(HttpContext context, ResourceOperations.WriteResult result)
    {
        foreach (var warning in result.Warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
        await WriteJsonAsync(context, result.StatusCode, result.Object);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(KubeJson.Serialize(body), context.RequestAborted);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static bool IsProtobuf(HttpRequest request) =>
        request.ContentType?.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal) == true;

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static bool IsTrue(string? value) => value is "true" or "1";

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static int ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
