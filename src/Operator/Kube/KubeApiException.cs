using System.Net;

namespace Kollect.Operator.Kube;

/// <summary>
/// The API server refused a request. Carries the HTTP code and the server's <c>Status</c>
/// (reason, message, causes) so callers branch on <see cref="Reason"/> rather than on text.
/// </summary>
public class KubeApiException : Exception
{
    public KubeApiException(HttpStatusCode statusCode, string method, string path, KubeStatus? status)
        : base(Describe(statusCode, method, path, status))
    {
        StatusCode = statusCode;
        Status = status;
    }

    public HttpStatusCode StatusCode { get; }

    public KubeStatus? Status { get; }

    /// <summary>The machine-readable reason (<c>NotFound</c>, <c>Conflict</c>, <c>Expired</c>, …).</summary>
    public string? Reason => Status?.Reason;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";

    /// <summary>410 Gone / reason Expired: the resourceVersion is too old; relist.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";

    private static string Describe(HttpStatusCode code, string method, string path, KubeStatus? status)
    {
        var text = $"{method} {path} failed with {(int)code} {status?.Reason ?? code.ToString()}";
        if (!string.IsNullOrEmpty(status?.Message))
        {
            text += $": {status.Message}";
        }
        if (status?.Details?.Causes is { Count: > 0 } causes)
        {
            text += " (" + string.Join("; ", causes.Select(c => $"{c.Field}: {c.Message}")) + ")";
        }
        return text;
    }
}
