namespace Kollect.Operator.Sinks.Nats;

/// <summary><c>provisioning.mode</c> of a NATS sink (SPEC §2.1, §6.2).</summary>
public enum NatsProvisioningMode
{
    /// <summary>Create the stream <c>{name, subjects:[subject]}</c> when it is missing; never modify an existing one.</summary>
    Ensure,

    /// <summary>The stream must already exist and capture the subject; it is never created or modified.</summary>
    Existing,
}
