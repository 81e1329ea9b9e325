using System.Text.Json.Nodes;

namespace Kollect.Tests.Integration.KubeApiServer;

/// <summary>An open watch response read one newline-delimited event at a time.</summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public int StatusCode => (int)_response.StatusCode;

    public static async Task<WatchStream> OpenAsync(HttpClient http, string pathAndQuery)
    {
        var response = await http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return new WatchStream(response, reader);
    }

    /// <summary>The next event, or null when the server ended the watch; fails after the timeout.</summary>
    public async Task<JsonObject?> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var line = await _reader.ReadLineAsync(cancel.Token);
        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    /// <summary>The next event that is not a BOOKMARK.</summary>
    public async Task<JsonObject?> NextChangeAsync()
    {
        while (true)
        {
            var e = await NextAsync();
            if (e is null || (string?)e["type"] != "BOOKMARK")
            {
                return e;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
