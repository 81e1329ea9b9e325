using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Sinks;

/// <summary>
/// The sink fields that the sinks' error texts point at, written with the generated
/// <c>JsonNames</c> so that a CRD rename breaks the build instead of leaving a text that names a
/// field which no longer exists (#10). <c>Spec*</c> paths start at the object (<c>spec.tls</c>);
/// the others are relative to <c>spec</c>, as the texts that name several fields of one block
/// write them (<c>tls.caBundle / caSecretRef</c>).
/// </summary>
internal static class EventSinkFields
{
    public const string Tls = KollectEventSinkSpec.JsonNames.Tls;
    public const string TlsCaBundle = $"{Tls}.{KollectEventSinkSpecTls.JsonNames.CaBundle}";
    public const string TlsCaSecretRef = $"{Tls}.{KollectEventSinkSpecTls.JsonNames.CaSecretRef}";
    public const string CaSecretRef = KollectEventSinkSpecTls.JsonNames.CaSecretRef;
    public const string NatsSubject = $"{KollectEventSinkSpec.JsonNames.Nats}.{KollectEventSinkSpecNats.JsonNames.Subject}";
    public const string NatsStream = $"{KollectEventSinkSpec.JsonNames.Nats}.{KollectEventSinkSpecNats.JsonNames.Stream}";
    public const string ProvisioningMode = $"{KollectEventSinkSpec.JsonNames.Provisioning}.{KollectEventSinkSpecProvisioning.JsonNames.Mode}";

    private const string Spec = KollectEventSink.JsonNames.Spec;
    public const string SpecEndpoint = $"{Spec}.{KollectEventSinkSpec.JsonNames.Endpoint}";
    public const string SpecTlsCaBundle = $"{Spec}.{TlsCaBundle}";
    public const string SpecTlsCaSecretRef = $"{Spec}.{TlsCaSecretRef}";
    public const string SpecKafkaTopic = $"{Spec}.{KollectEventSinkSpec.JsonNames.Kafka}.{KollectEventSinkSpecKafka.JsonNames.Topic}";
    public const string SpecKafkaBrokers = $"{Spec}.{KollectEventSinkSpec.JsonNames.Kafka}.{KollectEventSinkSpecKafka.JsonNames.Brokers}";
}
