using System.Net;

namespace Kollect.Operator.Kube;

/// <summary>
/// 409 Conflict on an update: the object changed since it was read (stale resourceVersion).
/// The caller re-reads and retries; see <see cref="KubeApiException.IsAlreadyExists"/> for creates.
/// </summary>
public sealed class KubeConflictException : KubeApiException
{
    public KubeConflictException(string method, string path, KubeStatus? status)
        : base(HttpStatusCode.Conflict, method, path, status)
    {
    }
}
