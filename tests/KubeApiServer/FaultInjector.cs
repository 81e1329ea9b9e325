using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// Faults a test switches on through <c>POST /_kollect-test/faults</c>: fail the next N matching
/// requests with a status code, delay every matching response. (Dropping watches and compaction
/// act on the store at once.)
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<FailureRule> _failures = [];
    private DelayRule? _delay;

    private sealed class FailureRule
    {
        public required int Remaining { get; set; }
        public required int Status { get; init; }
        public string? PathPrefix { get; init; }
        public string? Verb { get; init; }
        public string? Message { get; init; }
    }

    private sealed record DelayRule(int Milliseconds, string? PathPrefix);

    public void AddFailure(int count, int status, string? pathPrefix, string? verb, string? message)
    {
        lock (_gate)
        {
            _failures.Add(new FailureRule { Remaining = count, Status = status, PathPrefix = pathPrefix, Verb = verb?.ToLowerInvariant(), Message = message });
        }
    }

    public void SetDelay(int milliseconds, string? pathPrefix)
    {
        lock (_gate)
        {
            _delay = milliseconds > 0 ? new DelayRule(milliseconds, pathPrefix) : null;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _failures.Clear();
            _delay = null;
        }
    }

    /// <summary>The delay for this request, in milliseconds (0 for none).</summary>
    public int DelayFor(string path)
    {
        lock (_gate)
        {
            return _delay is { } d && (d.PathPrefix is null || path.StartsWith(d.PathPrefix, StringComparison.Ordinal)) ? d.Milliseconds : 0;
        }
    }

    /// <summary>Consumes one matching failure rule and returns the error to answer with, if any.</summary>
    public ApiError? TakeFailure(string path, string method, string kubeVerb)
    {
        lock (_gate)
        {
            foreach (var rule in _failures)
            {
                if (rule.Remaining <= 0 ||
                    (rule.PathPrefix is not null && !path.StartsWith(rule.PathPrefix, StringComparison.Ordinal)) ||
                    (rule.Verb is not null && rule.Verb != kubeVerb && rule.Verb != method.ToLowerInvariant()))
                {
                    continue;
                }
                rule.Remaining--;
                var (reason, text) = rule.Status switch
                {
                    401 => ("Unauthorized", "Unauthorized"),
                    403 => ("Forbidden", "forbidden: injected fault"),
                    429 => ("TooManyRequests", "Too many requests, please try again later."),
                    500 => ("InternalError", "Internal error occurred: injected fault"),
                    503 => ("ServiceUnavailable", "The server is currently unable to handle the request"),
                    504 => ("Timeout", "The server was unable to return a response in the time allotted"),
                    409 => ("Conflict", "Operation cannot be fulfilled: injected conflict"),
                    410 => ("Expired", "injected: too old resource version"),
                    _ => ("InternalError", $"injected fault with status {rule.Status}"),
                };
                return new ApiError(rule.Status, reason, rule.Message ?? text);
            }
            _failures.RemoveAll(r => r.Remaining <= 0);
            return null;
        }
    }

    public JsonObject Describe()
    {
        lock (_gate)
        {
            var failures = new JsonArray();
            foreach (var rule in _failures.Where(r => r.Remaining > 0))
            {
                failures.Add(new JsonObject
                {
                    ["remaining"] = rule.Remaining,
                    ["status"] = rule.Status,
                    ["pathPrefix"] = rule.PathPrefix,
                    ["verb"] = rule.Verb,
                });
            }
            return new JsonObject
            {
                ["failures"] = failures,
                ["delayMs"] = _delay?.Milliseconds ?? 0,
                ["delayPathPrefix"] = _delay?.PathPrefix,
            };
        }
    }
}
