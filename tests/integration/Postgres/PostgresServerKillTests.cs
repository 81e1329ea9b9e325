using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Postgres;
using Kollect.Tests.Integration.Kube;
using static Kollect.Tests.Integration.Postgres.TestDatabaseSinks;

namespace Kollect.Tests.Integration.Postgres;

/// <summary>
/// The server dies in the middle of an export (SPEC §2.5): the export fails as transient, the table
/// still holds the previous export after crash recovery, and the next export converges. Its own
/// server, since it is killed.
/// </summary>
public sealed class PostgresServerKillTests : IAsyncLifetime
{
    private const string Password = "kill-test-password";
    private PostgresServerProcess _server = null!;
    private readonly DatabaseSinkGateway _gateway = new();

    public Task InitializeAsync()
    {
        _server = PostgresServerProcess.Start();
        _server.CreateDatabase("inventory", "kollect", Password);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task A_kill_mid_export_leaves_the_previous_state_and_the_next_export_converges()
    {
        var table = UniqueTable();
        var sink = Resolve(_server.Dsn("kollect", Password, "inventory", "sslmode=disable application_name=kollect-kill"), table);
        var previous = Sorted(Row("configs", "shop", "a", "uid-a"), Row("configs", "shop", "b", "uid-b"));
        var next = Sorted(Row("configs", "shop", "a", "uid-a", """{"app":"changed"}"""), Row("configs", "shop", "c", "uid-c"));
        Assert.True((await _gateway.WriteAsync(sink, Export(previous), default)).Written);

        // Hold the table so the next export waits inside its transaction, then kill the server under it.
        var locker = await _server.LockTableAsync(table, "inventory");
        var export = _gateway.WriteAsync(sink, Export(next), default);
        await Eventually.UntilAsync(
            () => _server.Psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kollect-kill' AND wait_event_type = 'Lock'", "inventory") == "1",
            "the export to wait for the table lock",
            timeout: TimeSpan.FromSeconds(60));
        _server.Kill();
        locker.Dispose();
        var failed = await export;

        Assert.False(failed.Written);
        Assert.True(failed.Transient, failed.Message);
        Assert.Equal(PostgresFailure.Unreachable, failed.Reason);

        _server.Restart();
        Assert.Equal(["uid-a|shop", "uid-b|shop"], Rows(table));

        var converged = await _gateway.WriteAsync(sink, Export(next), default);
        Assert.True(converged.Written, converged.Message);
        Assert.Equal(["uid-a|changed", "uid-c|shop"], Rows(table));
    }

    private string[] Rows(string table) =>
        _server.Psql($"SELECT source_uid || '|' || (payload->'attributes'->>'app') FROM {table} ORDER BY 1", "inventory").Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
