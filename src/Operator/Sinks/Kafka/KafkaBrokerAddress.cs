using System.Globalization;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>One broker address, <c>host:port</c>, as written in a sink or advertised in metadata.</summary>
public readonly record struct KafkaBrokerAddress(string Host, int Port)
{
    /// <summary>The address in librdkafka's bootstrap form (IPv6 literals in brackets).</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses <c>host:port</c> or <c>[v6addr]:port</c>; the port is required because a wrong
    /// default port is a silent failure.
    /// </summary>
    /// <exception cref="KafkaSinkConfigurationException">The text is not a usable broker address.</exception>
    public static KafkaBrokerAddress Parse(string text)
    {
        var trimmed = text.Trim();
        // A scheme ("kafka://", "SASL_SSL://") is a common paste error; librdkafka would misread it.
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(text, "give a bare host name or IP address without scheme or path");
        }

        string host;
        string port;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= trimmed.Length || trimmed[close + 1] != ':')
            {
                throw Invalid(text, "write IPv6 addresses as [address]:port");
            }

            host = trimmed[1..close];
            port = trimmed[(close + 2)..];
        }
        else
        {
            var colon = trimmed.LastIndexOf(':');
            if (colon < 0)
            {
                throw Invalid(text, "add the port, e.g. kafka-0.kafka:9092");
            }

            host = trimmed[..colon];
            port = trimmed[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                throw Invalid(text, "write IPv6 addresses as [address]:port");
            }
        }

        if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) || host.Any(char.IsWhiteSpace))
        {
            throw Invalid(text, "give a bare host name or IP address without scheme or path");
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw Invalid(text, "the port must be a number from 1 to 65535");
        }

        return new KafkaBrokerAddress(host, number);
    }

    private static KafkaSinkConfigurationException Invalid(string text, string hint) =>
        new($"{EventSinkFields.SpecKafkaBrokers}: '{text}' is not a broker address (host:port): {hint}.");
}
