using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Kollect.Operator.Sinks.Common;
using Npgsql;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// Opens connections for one database sink (SPEC §2.5, §6.5). Every host of the connection string is
/// resolved and every address it resolves to is checked by the endpoint guard before anything is
/// dialed; Npgsql is then given those addresses, one data source (and pool) per address, tried in
/// order like libpq's host list. TLS names and verifies the host name, not the address
/// (<see cref="PostgresCertificateCheck"/>). Data sources of addresses a host no longer resolves to
/// are dropped.
/// </summary>
public sealed class PostgresConnector : IAsyncDisposable
{
    private readonly PostgresSinkSettings _settings;
    private readonly bool _pooling;
    private readonly X509Certificate2Collection? _roots;
    private readonly Dictionary<(IPAddress Address, int Port, string Host), (NpgsqlDataSource Source, PostgresCertificateCheck Check)> _sources = [];
    private readonly object _gate = new();
    private bool _disposed;

    /// <param name="pooling">False for connection tests, which must use a fresh connection (SPEC §6.3).</param>
    public PostgresConnector(PostgresSinkSettings settings, bool pooling)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _pooling = pooling;
        if (settings.CaPem is { } pem)
        {
            _roots = [];
            _roots.ImportFromPem(pem);
            if (_roots.Count == 0)
            {
                throw new ArgumentException($"{DatabaseSinkFields.SpecTls} holds no PEM certificate", nameof(settings));
            }
        }
    }

    public PostgresSinkSettings Settings => _settings;

    /// <summary>An open connection to the first server that answers, and where it is; throws the last failure when none does.</summary>
    public async Task<PostgresConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var endpoints = new List<(IPAddress Address, int Port, string Host)>();
        foreach (var host in _settings.Connection.Hosts)
        {
            // Every address of every host is checked before the first is dialed (SPEC §6.5).
            foreach (var address in await EndpointGuard.ResolveAllowedAddressesAsync(host.Host, _settings.EndpointPolicy, cancellationToken).ConfigureAwait(false))
            {
                endpoints.Add((address, host.Port, host.Host));
            }
        }

        Exception? last = null;
        PostgresCertificateCheck? lastCheck = null;
        foreach (var endpoint in endpoints)
        {
            var (source, check) = Source(endpoint, endpoints);
            var connection = source.CreateConnection();
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return new PostgresConnection(connection, new PostgresHost(endpoint.Host, endpoint.Port), check);
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or IOException or TimeoutException)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                if (e is PostgresException)
                {
                    // The server answered and refused (password, database): another address of the
                    // same cluster would say the same.
                    throw new PostgresConnectException(e, new PostgresHost(endpoint.Host, endpoint.Port), check);
                }

                (last, lastCheck) = (e, check);
            }
        }

        throw new PostgresConnectException(last ?? new SocketException((int)SocketError.HostNotFound), _settings.Connection.Hosts[^1], lastCheck);
    }

    public async ValueTask DisposeAsync()
    {
        List<NpgsqlDataSource> sources;
        lock (_gate)
        {
            _disposed = true;
            sources = _sources.Values.Select(s => s.Source).ToList();
            _sources.Clear();
        }

        foreach (var source in sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var root in _roots ?? [])
        {
            root.Dispose();
        }
    }

    private (NpgsqlDataSource, PostgresCertificateCheck) Source((IPAddress Address, int Port, string Host) endpoint, List<(IPAddress, int, string)> current)
    {
        List<NpgsqlDataSource> stale;
        (NpgsqlDataSource, PostgresCertificateCheck) found;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            stale = _sources.Where(s => !current.Contains(s.Key)).Select(s => s.Value.Source).ToList();
            foreach (var key in _sources.Keys.Where(k => !current.Contains(k)).ToList())
            {
                _sources.Remove(key);
            }

            if (!_sources.TryGetValue(endpoint, out found))
            {
                found = Build(endpoint);
                _sources[endpoint] = found;
            }
        }

        foreach (var source in stale)
        {
            source.Dispose();
        }

        return found;
    }

    private (NpgsqlDataSource, PostgresCertificateCheck) Build((IPAddress Address, int Port, string Host) endpoint)
    {
        var connection = _settings.Connection;
        var mode = _settings.EffectiveSslMode;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Address.ToString(),
            Port = endpoint.Port,
            Database = connection.Database,
            Username = connection.User,
            Password = connection.Password,
            // verify-ca/verify-full are checked by PostgresCertificateCheck against the host name, so
            // Npgsql is asked for TLS without its own check (it would check the address).
            SslMode = mode switch
            {
                PostgresSslMode.Disable => SslMode.Disable,
                PostgresSslMode.Allow => SslMode.Allow,
                PostgresSslMode.Prefer => SslMode.Prefer,
                _ => SslMode.Require,
            },
            Timeout = (int)Math.Clamp(Math.Ceiling(_settings.ConnectTimeout.TotalSeconds), 1, 1024),
            CommandTimeout = (int)Math.Ceiling(_settings.CommandTimeout.TotalSeconds),
            ApplicationName = connection.ApplicationName ?? "kollect",
            Options = connection.ServerOptions,
            Pooling = _pooling,
            MaxPoolSize = 4,
            MinPoolSize = 0,
            ConnectionIdleLifetime = 60,
            TcpKeepAlive = connection.TcpKeepAlive,
        };
        if (connection.TcpKeepAliveIdle is { } idle)
        {
            builder.TcpKeepAliveTime = (int)idle.TotalSeconds;
        }

        if (connection.TcpKeepAliveInterval is { } interval)
        {
            builder.TcpKeepAliveInterval = (int)interval.TotalSeconds;
        }

        if (connection.ChannelBinding is { } binding)
        {
            builder.ChannelBinding = binding switch
            {
                "disable" => ChannelBinding.Disable,
                "require" => ChannelBinding.Require,
                _ => ChannelBinding.Prefer,
            };
        }

        var check = new PostgresCertificateCheck(mode, endpoint.Host, _roots);
        var source = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString)
            .EnableArrays()
            .EnableTransportSecurity()
            // Only built-in types are used; skipping the type-loading query saves a round trip per connection.
            .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
            .UseSslClientAuthenticationOptionsCallback(options =>
            {
                options.TargetHost = endpoint.Host;
                if (mode is PostgresSslMode.VerifyCa or PostgresSslMode.VerifyFull)
                {
                    options.RemoteCertificateValidationCallback = check.Validate;
                }
            })
            .Build();
        return (source, check);
    }
}
