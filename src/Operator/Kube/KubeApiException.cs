using System.Net;
using k8s.Models;

namespace Kollect.Operator.Kube;

// Ours: the errors of our own request code (see KubeClient.cs for why it is ours).
/// <summary>
/// The API server refused a request. Carries the HTTP code and the server's <c>Status</c>
/// (reason, message, causes) so callers branch on <see cref="Reason"/> rather than on text. For
/// 401 and 403 the message names the verb, the resource and the namespace, i.e. the RBAC rule
/// that is missing (SPEC §7).
/// </summary>
public class KubeApiException : Exception
{
    public KubeApiException(HttpStatusCode statusCode, string method, string path, V1Status? status)
        : base(Describe(statusCode, method, path, status))
    {
        StatusCode = statusCode;
        Status = status;
        Request = KubeRequestTarget.Parse(method, path);
    }

    public HttpStatusCode StatusCode { get; }

    public V1Status? Status { get; }

    /// <summary>What was asked for: verb, group, resource, namespace (from the request path).</summary>
    public KubeRequestTarget Request { get; }

    /// <summary>The machine-readable reason (<c>NotFound</c>, <c>Conflict</c>, <c>Expired</c>, …).</summary>
    public string? Reason => Status?.Reason;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";

    /// <summary>410 Gone / reason Expired: the resourceVersion is too old; relist.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";

    /// <summary>401 or 403: the credentials or the RBAC rules are wrong; retrying helps only once someone fixes them.</summary>
    public bool IsAccessDenied => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    private static string Describe(HttpStatusCode code, string method, string path, V1Status? status)
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
        var target = KubeRequestTarget.Parse(method, path);
        if (code == HttpStatusCode.Forbidden)
        {
            text += $"; the operator's service account needs RBAC permission to {target.Describe()}";
        }
        else if (code == HttpStatusCode.Unauthorized)
        {
            text += $"; the API server did not accept the credentials (needed to {target.Describe()}): check the token, client certificate or exec plugin";
        }
        return text;
    }
}
