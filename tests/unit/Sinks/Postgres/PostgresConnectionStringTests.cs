using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Tests.Unit.Sinks.Postgres;

/// <summary>libpq connection strings from a database sink's Secret (SPEC §2.5): both forms, quoting, hosts, refusals.</summary>
public sealed class PostgresConnectionStringTests
{
    private const string Secret = "s3cr'et pass";

    [Fact]
    public void Keyword_form_with_quoting_and_escapes()
    {
        var parsed = Parse(@"host=db.example.com port=6432 dbname = inventory user=kollect password='s3cr\'et pass' sslmode=verify-full connect_timeout=5 application_name=kollect-prod");

        Assert.Equal([new PostgresHost("db.example.com", 6432)], parsed.Hosts);
        Assert.Equal(("inventory", "kollect", Secret), (parsed.Database, parsed.User, parsed.Password));
        Assert.Equal(PostgresSslMode.VerifyFull, parsed.SslMode);
        Assert.Equal(TimeSpan.FromSeconds(5), parsed.ConnectTimeout);
        Assert.Equal("kollect-prod", parsed.ApplicationName);
    }

    [Fact]
    public void Uri_form_with_percent_encoding_several_hosts_and_ipv6()
    {
        var parsed = Parse("postgresql://kollect:s3cr%27et%20pass@db1.example.com:5433,[fd00::7]/inventory?sslmode=require&application_name=kollect");

        Assert.Equal([new PostgresHost("db1.example.com", 5433), new PostgresHost("fd00::7", 5432)], parsed.Hosts);
        Assert.Equal(("inventory", "kollect", Secret), (parsed.Database, parsed.User, parsed.Password));
        Assert.Equal(PostgresSslMode.Require, parsed.SslMode);
        Assert.Equal("[fd00::7]:5432", parsed.Hosts[1].ToString());
    }

    [Fact]
    public void An_unencoded_at_sign_in_the_password_still_parses()
    {
        var parsed = Parse("postgres://kollect:p@ss/word@db.example.com/inventory");

        Assert.Equal(("p@ss/word", "db.example.com", "inventory"), (parsed.Password, parsed.Hosts[0].Host, parsed.Database));
    }

    [Fact]
    public void Defaults_follow_libpq_prefer_port_5432_and_dbname_from_the_user()
    {
        var parsed = Parse("host=db user=kollect");

        Assert.Equal((PostgresSslMode.Prefer, 5432, "kollect", null), (parsed.SslMode, parsed.Hosts[0].Port, parsed.Database, parsed.Password));
        Assert.Equal("db:5432/kollect as kollect", parsed.ToString());
    }

    [Fact]
    public void One_port_per_host_or_one_for_all()
    {
        Assert.Equal([5432, 5433], Parse("host=a,b port=5432,5433 user=u").Hosts.Select(h => h.Port));
        Assert.Equal([6000, 6000], Parse("host=a,b port=6000 user=u").Hosts.Select(h => h.Port));
        Assert.Contains("2 hosts but 3 ports", Problem("host=a,b port=1,2,3 user=u"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host=db user=u sslrootcert=/etc/ssl/ca.pem", "names a file on the operator's filesystem")]
    [InlineData("host=db user=u passfile=/root/.pgpass", "names a file on the operator's filesystem")]
    [InlineData("host=db user=u sslcert=/c sslkey=/k", "client certificates are not supported")]
    [InlineData("host=/var/run/postgresql user=u", "Unix-domain socket")]
    [InlineData("user=u", "names no host")]
    [InlineData("host=db", "names no user")]
    [InlineData("host=db user=u sslmode=verify", "sslmode that is not one of")]
    [InlineData("host=db user=u hostaddr=10.0.0.1", "hostaddr")]
    [InlineData("host=db user=u port=99999", "port that is not a number from 1 to 65535")]
    [InlineData("host=db user=u target_session_attrs=read-write", "target_session_attrs")]
    [InlineData("host=db user=u client_encoding=LATIN1", "client_encoding")]
    [InlineData("host=db user=u frobnicate=1", "'frobnicate', which this operator does not know")]
    [InlineData("host=db user=u password='unterminated", "unterminated quoted value for 'password'")]
    [InlineData("", "is empty")]
    [InlineData("mysql://db/x", "neither key=value pairs nor a postgres://")]
    public void Problems_say_what_is_wrong(string text, string expected) => Assert.Contains(expected, Problem(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("host=db user=u password=hunter2-canary frobnicate")]
    [InlineData("host=db user=u password='hunter2-canary")]
    [InlineData("postgresql://u:hunter2-canary@db/x?sslmode=hunter2-canary")]
    [InlineData("host=db user=u password=hunter2-canary sslmode=hunter2-canary")]
    [InlineData("host=db user=u hunter2-canary=1")]
    public void Problems_never_quote_a_value(string text) => Assert.DoesNotContain("hunter2-canary", Problem(text), StringComparison.Ordinal);

    private static PostgresConnectionString Parse(string text)
    {
        Assert.True(PostgresConnectionString.TryParse(text, out var parsed, out var problem), problem);
        return parsed;
    }

    private static string Problem(string text)
    {
        Assert.False(PostgresConnectionString.TryParse(text, out _, out var problem));
        return problem;
    }
}
