using System.Text.Json.Nodes;
using k8s.Models;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Runtime;

/// <summary>
/// Writes <c>events.k8s.io/v1</c> Events about Kollect objects (SPEC §7), reported by
/// <c>kollect.dev/operator</c>. An Event that cannot be written is logged, never fatal.
/// </summary>
public sealed partial class EventRecorder(KubeClient client, string reportingInstance, ILoggerFactory loggers, TimeProvider? time = null)
{
    public const string ReportingController = "kollect.dev/operator";
    private readonly ILogger _log = loggers.CreateLogger("events");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Records a <c>Normal</c> or <c>Warning</c> event about <paramref name="regarding"/>.</summary>
    public async Task RecordAsync(JsonObject regarding, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        var name = KubeObjects.Name(regarding) ?? "unknown";
        var ns = KubeObjects.Namespace(regarding) is { Length: > 0 } n ? n : "default";
        var now = _time.GetUtcNow();
        var kubeEvent = new Eventsv1Event
        {
            ApiVersion = KubeResource.Events.ApiVersion,
            Kind = Eventsv1Event.KubeKind,
            Metadata = new V1ObjectMeta { Name = $"{name}.{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x10000):x4}", NamespaceProperty = ns },
            EventTime = now.UtcDateTime,
            ReportingController = ReportingController,
            ReportingInstance = reportingInstance,
            Type = type,
            Reason = reason,
            Action = action,
            Note = note.Length > 1024 ? note[..1024] : note,
            Regarding = new V1ObjectReference
            {
                ApiVersion = (string?)regarding["apiVersion"],
                Kind = (string?)regarding["kind"],
                NamespaceProperty = KubeObjects.Namespace(regarding),
                Name = name,
                Uid = KubeObjects.Uid(regarding),
                ResourceVersion = KubeObjects.ResourceVersion(regarding),
            },
        };
        try
        {
            await client.CreateAsync(KubeResource.Events, ns, kubeEvent, KubeJsonContext.Default.Eventsv1Event, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            EventNotRecorded(_log, ObjectKey.Of(regarding).ToString(), reason, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not record event about {regarding} ({reason}): {error}")]
    private static partial void EventNotRecorded(ILogger logger, string regarding, string reason, string error);
}
