using System.Globalization;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// Resolves where an event sink connects (SPEC §2.1): Kafka brokers from <c>kafka.brokers</c>, else
/// the comma-separated <c>spec.endpoint</c>; the NATS URL from <c>nats.url</c>, else <c>spec.endpoint</c>.
/// Syntax problems are reported; endpoints that parse are returned for further checks (the endpoint guard).
/// </summary>
public static class EventSinkEndpoints
{
    public const int DefaultNatsPort = 4222;

    private const string Spec = KollectEventSink.JsonNames.Spec;

    private const string NatsScheme = "nats"; // not a Kollect field: the URL scheme nats://

    private const string TlsScheme = "tls"; // not a Kollect field: the URL scheme tls://

    /// <summary>Parses the endpoints of a sink spec; reports syntax problems to <paramref name="report"/>.</summary>
    public static IReadOnlyList<SinkEndpoint> Resolve(KollectEventSinkSpec spec, ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var endpoints = new List<SinkEndpoint>();
        var endpointPath = FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Endpoint);
        switch (spec.Type)
        {
            case KollectEventSinkSpecType.Kafka:
                if (spec.Kafka?.Brokers is { Count: > 0 } brokers)
                {
                    var brokersPath = FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Kafka, KollectEventSinkSpecKafka.JsonNames.Brokers);
                    for (var i = 0; i < brokers.Count; i++)
                    {
                        AddBroker(brokers[i], FieldPath.Item(brokersPath, i), endpoints, report);
                    }
                }
                else if (!string.IsNullOrWhiteSpace(spec.Endpoint))
                {
                    foreach (var part in spec.Endpoint.Split(',', StringSplitOptions.TrimEntries))
                    {
                        AddBroker(part, endpointPath, endpoints, report);
                    }
                }

                break;
            case KollectEventSinkSpecType.Nats:
                var url = spec.Nats?.Url;
                var (text, path) = string.IsNullOrWhiteSpace(url)
                    ? (spec.Endpoint, endpointPath)
                    : (url, FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Nats, KollectEventSinkSpecNats.JsonNames.Url));
                if (!string.IsNullOrWhiteSpace(text))
                {
                    foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
                    {
                        AddNatsUrl(part, path, endpoints, report);
                    }
                }

                break;
        }

        return endpoints;
    }

    private static void AddBroker(string text, string path, List<SinkEndpoint> endpoints, ValidationReport report)
    {
        if (text.Contains("://", StringComparison.Ordinal) || text.Contains('@', StringComparison.Ordinal))
        {
            report.Error(path, FieldMessages.Invalid(Redact(text), "a Kafka broker is host:port, without a scheme or credentials (put credentials in a Secret and use secretRef)"));
            return;
        }

        if (!TrySplitHostPort(text, out var host, out var port))
        {
            report.Error(path, FieldMessages.Invalid(text, "a Kafka broker must be host:port with a port from 1 to 65535, e.g. kafka.example.svc:9092")); // not a Kollect field: an example host name
            return;
        }

        endpoints.Add(new SinkEndpoint(path, text, host, port));
    }

    private static void AddNatsUrl(string text, string path, List<SinkEndpoint> endpoints, ValidationReport report)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not (NatsScheme or TlsScheme) || uri.Host.Length == 0)
        {
            report.Error(path, FieldMessages.Invalid(Redact(text), "must be a NATS URL nats://host:4222 or tls://host:4222"));
            return;
        }

        if (uri.UserInfo.Length > 0)
        {
            report.Error(path, FieldMessages.Forbidden("the URL must not carry credentials (they would show in status and logs); put them in a Secret and use secretRef"));
            return;
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            report.Error(path, FieldMessages.Invalid(text, "a NATS URL has no path, query or fragment: nats://host:4222"));
            return;
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultNatsPort : uri.Port;
        endpoints.Add(new SinkEndpoint(path, text, uri.IdnHost.Trim('[', ']'), port));
    }

    private static bool TrySplitHostPort(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        int colon;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                return false;
            }

            host = text[1..close];
            colon = close + 1;
        }
        else
        {
            colon = text.LastIndexOf(':');
            if (colon <= 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false;
            }

            host = text[..colon];
        }

        return host.Length > 0 &&
               !host.Any(c => char.IsWhiteSpace(c) || c == '/') &&
               int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) &&
               port is > 0 and <= 65535;
    }

    /// <summary>Drops anything before '@' so a password typed into an address is never echoed.</summary>
    private static string Redact(string text)
    {
        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            return text;
        }

        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return (scheme >= 0 && scheme < at ? text[..(scheme + 3)] : "") + "***@" + text[(at + 1)..];
    }
}
