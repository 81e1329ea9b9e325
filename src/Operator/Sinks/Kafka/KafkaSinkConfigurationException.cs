namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// A Kafka sink's settings cannot work as given (bad broker address, missing key for a client
/// certificate, …). The message names the field and what to change, never a secret value.
/// </summary>
public sealed class KafkaSinkConfigurationException : Exception
{
    /// <summary>Creates the exception with a message meant for the sink's owner.</summary>
    public KafkaSinkConfigurationException(string message)
        : base(message)
    {
    }
}
