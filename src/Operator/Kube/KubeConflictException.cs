using System.Net;
using k8s.Models;

namespace Kollect.Operator.Kube;

// Ours: part of the request code KubernetesClient.Aot lacks at our binary size (see KubeClient.cs).
/// <summary>
/// 409 Conflict on an update: the object changed since it was read (stale resourceVersion).
/// The caller re-reads and retries; see <see cref="KubeApiException.IsAlreadyExists"/> for creates.
/// </summary>
public sealed class KubeConflictException : KubeApiException
{
    public KubeConflictException(string method, string path, V1Status? status)
        : base(HttpStatusCode.Conflict, method, path, status)
    {
    }
}
