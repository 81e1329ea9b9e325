using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks;

/// <summary>
/// A digest of everything a sink's connection depends on — spec fields, Secret values, CA — so the
/// reconciler re-probes when a referenced Secret or the CA changes (SPEC §6.3) without keeping the
/// values. Keyed with a per-process random key: equal settings give equal fingerprints within one
/// process, and a fingerprint reveals nothing about a password (SPEC §6.5).
/// </summary>
public static class SinkSettingsFingerprint
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The fingerprint of <paramref name="sink"/>'s resolved settings (or of why it did not resolve).</summary>
    public static string Of(EventSinkResolution sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var fields = new List<string?> { sink.Sink, sink.Type, sink.EndpointPolicy.ToString() };
        if (sink.Failure is { } failure)
        {
            fields.AddRange([failure.Reason, failure.Message]);
        }
        else if (sink.Kafka is { } kafka)
        {
            fields.AddRange([string.Join(",", kafka.Brokers), kafka.Topic, kafka.Compression.ToString(), kafka.ConnectTimeout.Ticks.ToString(CultureInfo.InvariantCulture)]);
            fields.AddRange([kafka.Sasl?.Username, kafka.Sasl?.Password, kafka.Sasl?.Mechanism.ToString()]);
            var bearer = kafka.OAuthBearer;
            fields.AddRange([bearer?.Token, bearer?.ClientId, bearer?.ClientSecret, bearer?.TokenEndpointUrl, bearer?.Scope, bearer?.Extensions]);
            fields.AddRange([kafka.Tls?.Enabled.ToString(), kafka.Tls?.CaPem, kafka.Tls?.InsecureSkipVerify.ToString(), kafka.Tls?.ClientCertificatePem, kafka.Tls?.ClientKeyPem]);
        }
        else if (sink.Nats is { } nats)
        {
            fields.AddRange([nats.Url, nats.Subject, nats.Stream, nats.Provisioning.ToString(), nats.ConnectTimeout.Ticks.ToString(CultureInfo.InvariantCulture)]);
            fields.AddRange([nats.Auth.Token, nats.Auth.Username, nats.Auth.Password, nats.Auth.Creds, nats.Auth.NKeySeed]);
            fields.AddRange([nats.Tls.Enabled.ToString(), nats.Tls.CaPem, nats.Tls.InsecureSkipVerify.ToString(), nats.Tls.ClientCertificatePem, nats.Tls.ClientKeyPem]);
        }

        return Digest(fields);
    }

    /// <summary>The fingerprint of a database sink's resolved settings (or of why it did not resolve).</summary>
    public static string Of(DatabaseSinkResolution sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var fields = new List<string?> { sink.Sink, sink.Type };
        if (sink.Failure is { } failure)
        {
            fields.AddRange([failure.Reason, failure.Message]);
        }
        else if (sink.Postgres is { } postgres)
        {
            var connection = postgres.Connection;
            fields.AddRange([string.Join(",", connection.Hosts), connection.Database, connection.User, connection.Password, connection.SslMode.ToString()]);
            fields.AddRange([connection.ApplicationName, connection.ServerOptions, connection.ChannelBinding, connection.TcpKeepAlive.ToString()]);
            fields.AddRange([connection.TcpKeepAliveIdle?.Ticks.ToString(CultureInfo.InvariantCulture), connection.TcpKeepAliveInterval?.Ticks.ToString(CultureInfo.InvariantCulture)]);
            fields.AddRange([postgres.Schema, postgres.Table, postgres.Provisioning.ToString(), postgres.CaPem, postgres.EndpointPolicy.ToString()]);
            fields.AddRange([postgres.ConnectTimeout.Ticks.ToString(CultureInfo.InvariantCulture), postgres.CommandTimeout.Ticks.ToString(CultureInfo.InvariantCulture)]);
            fields.AddRange(postgres.Options.SelectMany(o => new[] { o.Key, o.Value }));
        }

        return Digest(fields);
    }

    private static string Digest(List<string?> fields)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Key);
        foreach (var field in fields)
        {
            // Length-prefixed, so no two field lists encode alike; null differs from empty.
            var bytes = field is null ? [] : Encoding.UTF8.GetBytes(field);
            hmac.AppendData(BitConverter.GetBytes(field is null ? -1 : bytes.Length));
            hmac.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}
