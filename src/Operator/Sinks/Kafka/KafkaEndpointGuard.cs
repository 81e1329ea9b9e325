using System.Net.Sockets;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Connects the Kafka publisher's broker check to the sink endpoint guard (SPEC §6.5): a bootstrap
/// or advertised broker may be dialed only when its name and every address it resolves to are
/// allowed by the operator's <see cref="EndpointPolicy"/>.
/// </summary>
public static class KafkaEndpointGuard
{
    /// <summary>The check to pass to <see cref="KafkaProducerPool"/> and <see cref="KafkaConnectionProbe"/>.</summary>
    public static KafkaBrokerEndpointCheck For(EndpointPolicy policy) => async (host, cancellationToken) =>
    {
        try
        {
            await EndpointGuard.ResolveAllowedAddressesAsync(host, policy, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (EndpointDeniedException denied)
        {
            return denied.Message;
        }
        catch (SocketException unresolved)
        {
            return $"Kafka broker host '{host}' cannot be resolved ({unresolved.SocketErrorCode}); check {EventSinkFields.Kafka}.{KollectEventSinkSpecKafka.JsonNames.Brokers} or {EventSinkFields.SpecEndpoint}";
        }
    };
}
