using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Postgres;
using static Kollect.Tests.Integration.Postgres.TestDatabaseSinks;

namespace Kollect.Tests.Integration.Postgres;

/// <summary>
/// TLS through the connection string's sslmode (SPEC §2.5) against a server whose certificate, from
/// an openssl-made CA, names only <c>localhost</c>. The operator dials the guarded addresses, so these
/// tests also show that verify-full checks the host name and not the address.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTlsTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private readonly DatabaseSinkGateway _gateway = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Verify_full_with_the_right_ca_writes_over_tls()
    {
        var table = UniqueTable();
        var sink = Resolve(LocalhostDsn("sslmode=verify-full application_name=kollect-tls-" + table), table, caPem: postgres.Certificates.Pem("ca.crt"));

        var outcome = await _gateway.WriteAsync(sink, Export([Row("configs", "shop", "a", "uid-a")]), default);
        var probed = await _gateway.ProbeAsync(sink, default);

        Assert.True(outcome.Written, outcome.Message);
        Assert.True(probed.Verified, probed.Message);
        Assert.False(probed.TlsInsecure);
        // The pooled connection is still open: the server says it is encrypted.
        Assert.Equal("t", postgres.Psql($"SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'kollect-tls-{table}'"));
    }

    [Fact]
    public async Task Verify_full_with_another_ca_is_refused_and_says_why()
    {
        var sink = Resolve(LocalhostDsn("sslmode=verify-full"), UniqueTable(), caPem: postgres.Certificates.Pem("other-ca.crt"));

        var outcome = await _gateway.WriteAsync(sink, Export([]), default);
        var probed = await _gateway.ProbeAsync(sink, default);

        Assert.Equal((false, false, PostgresFailure.TlsFailed), (outcome.Written, outcome.Transient, outcome.Reason));
        Assert.Contains("not issued by the CA of spec.tls", outcome.Message, StringComparison.Ordinal);
        Assert.False(probed.Verified);
        Assert.StartsWith(PostgresFailure.TlsFailed, probed.Classification, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_full_checks_the_host_name_while_verify_ca_checks_only_the_chain()
    {
        var ca = postgres.Certificates.Pem("ca.crt");
        var byAddress = postgres.Dsn("sslmode=verify-full");

        var full = await _gateway.WriteAsync(Resolve(byAddress, UniqueTable(), caPem: ca), Export([]), default);
        var chainOnly = await _gateway.WriteAsync(Resolve(postgres.Dsn("sslmode=verify-ca"), UniqueTable(), caPem: ca), Export([]), default);

        Assert.Equal(PostgresFailure.TlsFailed, full.Reason);
        Assert.Contains("does not name 127.0.0.1", full.Message, StringComparison.Ordinal);
        Assert.True(chainOnly.Written, chainOnly.Message);
    }

    [Fact]
    public async Task Require_encrypts_without_verifying_and_is_reported_insecure()
    {
        var sink = Resolve(postgres.Dsn("sslmode=require"), UniqueTable());

        var outcome = await _gateway.WriteAsync(sink, Export([]), default);
        var probed = await _gateway.ProbeAsync(sink, default);

        Assert.True(outcome.Written, outcome.Message);
        Assert.True(probed.Verified, probed.Message);
        Assert.True(probed.TlsInsecure);
        Assert.True(sink.Postgres!.TlsInsecure);
    }

    private string LocalhostDsn(string extra) => postgres.Dsn(extra).Replace("host=127.0.0.1", "host=localhost", StringComparison.Ordinal);
}
