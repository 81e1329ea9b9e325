using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kollect.Tests.Integration.Kube;

/// <summary>
/// A small local HTTP server that accepts only the bearer token it currently expects (401
/// otherwise) and records every token it saw — the test API server does not check tokens.
/// </summary>
public sealed class BearerTokenServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<string> _seen = [];
    private readonly Task _loop;

    public BearerTokenServer()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    public volatile string ExpectedToken = "";

    public List<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var header = context.Request.Headers["Authorization"] ?? "";
            var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
            lock (_seen)
            {
                _seen.Add(token);
            }
            var ok = token == ExpectedToken;
            context.Response.StatusCode = ok ? 200 : 401;
            context.Response.ContentType = "application/json";
            var body = ok
                ? """{"kind":"APIResourceList","groupVersion":"v1","resources":[]}"""
                : """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
