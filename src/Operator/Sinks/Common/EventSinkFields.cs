using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// The event sink fields that the resolver's and the sinks' error texts point at, written with
/// the generated <c>JsonNames</c> so that a CRD rename breaks the build instead of leaving a text
/// that names a field which no longer exists (#10). <c>Spec*</c> paths start at the object
/// (<c>spec.tls.caBundle</c>); the others are relative to <c>spec</c>, as the texts that name
/// several fields of one block write them (<c>tls.caBundle / caSecretRef</c>).
/// </summary>
internal static class EventSinkFields
{
    public const string Tls = KollectEventSinkSpec.JsonNames.Tls;
    public const string TlsCaBundle = $"{Tls}.{KollectEventSinkSpecTls.JsonNames.CaBundle}";
    public const string TlsCaSecretRef = $"{Tls}.{KollectEventSinkSpecTls.JsonNames.CaSecretRef}";
    public const string CaSecretRef = KollectEventSinkSpecTls.JsonNames.CaSecretRef;
    public const string Nats = KollectEventSinkSpec.JsonNames.Nats;
    public const string NatsSubject = $"{Nats}.{KollectEventSinkSpecNats.JsonNames.Subject}";
    public const string NatsStream = $"{Nats}.{KollectEventSinkSpecNats.JsonNames.Stream}";
    public const string ProvisioningMode = $"{KollectEventSinkSpec.JsonNames.Provisioning}.{KollectEventSinkSpecProvisioning.JsonNames.Mode}";
    public const string Kafka = KollectEventSinkSpec.JsonNames.Kafka;

    private const string Spec = KollectEventSink.JsonNames.Spec;
    public const string SpecType = $"{Spec}.{KollectEventSinkSpec.JsonNames.Type}";
    public const string SpecEndpoint = $"{Spec}.{KollectEventSinkSpec.JsonNames.Endpoint}";
    public const string SpecSecretRef = $"{Spec}.{KollectEventSinkSpec.JsonNames.SecretRef}";
    public const string SpecKafka = $"{Spec}.{Kafka}";
    public const string SpecKafkaBrokers = $"{SpecKafka}.{KollectEventSinkSpecKafka.JsonNames.Brokers}";
    public const string SpecKafkaTopic = $"{SpecKafka}.{KollectEventSinkSpecKafka.JsonNames.Topic}";
    public const string SpecKafkaSecretRef = $"{SpecKafka}.{KollectEventSinkSpecKafka.JsonNames.SecretRef}";
    public const string SpecNats = $"{Spec}.{Nats}";
    public const string SpecNatsUrl = $"{SpecNats}.{KollectEventSinkSpecNats.JsonNames.Url}";
    public const string SpecNatsSubject = $"{Spec}.{NatsSubject}";
    public const string SpecNatsSecretRef = $"{SpecNats}.{KollectEventSinkSpecNats.JsonNames.SecretRef}";
    public const string SpecTlsCaBundle = $"{Spec}.{TlsCaBundle}";
    public const string SpecTlsCaSecretRef = $"{Spec}.{TlsCaSecretRef}";
}
