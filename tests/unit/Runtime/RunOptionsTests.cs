using Kollect.Operator.Cli;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Tests.Unit.Runtime;

public sealed class RunOptionsTests
{
    [Fact]
    public void Defaults_apply_when_nothing_is_set()
    {
        var options = RunOptions.Resolve(_ => null, _ => null);
        Assert.Equal(new RunOptions(), options);
        Assert.False(options.LeaderElect);
        Assert.Equal("kollect-system", options.LeaderElectionNamespace);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal(":8081", options.HealthProbeBindAddress);
    }

    [Fact]
    public void Flag_beats_environment_which_beats_default()
    {
        var env = new Dictionary<string, string>
        {
            ["KOLLECT_LEADER_ELECTION_NAMESPACE"] = "from-env",
            ["KOLLECT_LEADER_ELECT"] = "true",
            ["KOLLECT_RETRY_PERIOD"] = "500ms",
            ["KOLLECT_ALLOW_CROSS_NAMESPACE_SECRETS"] = "true",
        };
        var flags = new Dictionary<string, string> { ["--leader-election-namespace"] = "from-flag", ["--lease-duration"] = "1m" };
        var options = RunOptions.Resolve(f => flags.GetValueOrDefault(f), e => env.GetValueOrDefault(e));
        Assert.Equal("from-flag", options.LeaderElectionNamespace);
        Assert.True(options.LeaderElect);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.RetryPeriod);
        Assert.Equal(TimeSpan.FromMinutes(1), options.LeaseDuration);
        Assert.True(options.AllowCrossNamespaceSecrets);
    }

    [Fact]
    public void Bad_values_name_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => RunOptions.Resolve(f => f == "--renew-deadline" ? "soon" : null, _ => null));
        Assert.Contains("--renew-deadline", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RunOptions.Resolve(f => f == "--leader-elect" ? "maybe" : null, _ => null));
    }

    [Fact]
    public void Every_setting_has_a_distinct_flag_and_environment_variable()
    {
        Assert.Equal(RunOptions.Settings.Count, RunOptions.Settings.Select(s => s.Flag).Distinct().Count());
        Assert.Equal(RunOptions.Settings.Count, RunOptions.Settings.Select(s => s.Environment).Distinct().Count());
    }

    [Fact]
    public void Host_and_controller_options_carry_every_resolved_setting()
    {
        var flags = new Dictionary<string, string>
        {
            ["--log-level"] = "warn", ["--metrics-bind-address"] = ":9090", ["--health-probe-bind-address"] = "0",
            ["--leader-elect"] = "true", ["--leader-election-namespace"] = "ops", ["--leader-election-id"] = "lease",
            ["--lease-duration"] = "20s", ["--renew-deadline"] = "12s", ["--retry-period"] = "3s",
            ["--cluster-name"] = "east", ["--allow-private-sinks"] = "true", ["--allow-loopback-sinks"] = "true",
            ["--allow-cross-namespace-secrets"] = "true", ["--max-export-bytes"] = "1000", ["--shutdown-timeout"] = "7s",
            ["--sink-publish-timeout"] = "9s", ["--sink-circuit-failures"] = "4", ["--sink-circuit-cooldown"] = "11s",
        };
        var host = RunOptions.Resolve(f => flags.GetValueOrDefault(f), _ => null).ToHostOptions();
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, host.LogLevel);
        Assert.Equal((":9090", "0"), (host.MetricsBindAddress, host.HealthProbeBindAddress));
        Assert.Equal((true, "ops", "lease"), (host.LeaderElect, host.LeaderElectionNamespace, host.LeaderElectionId));
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(3)), (host.LeaseDuration, host.RenewDeadline, host.RetryPeriod));
        var controllers = host.Operator;
        Assert.Equal(("east", true, true, true), (controllers.ClusterName, controllers.EndpointPolicy.AllowPrivate, controllers.EndpointPolicy.AllowLoopback, controllers.AllowCrossNamespaceSecrets));
        Assert.Equal((1000L, TimeSpan.FromSeconds(7)), (controllers.MaxExportBytes, controllers.ShutdownTimeout));
        Assert.Equal((TimeSpan.FromSeconds(9), 4, TimeSpan.FromSeconds(11)),
            (controllers.SinkReliability.PublishTimeout, controllers.SinkReliability.CircuitFailures, controllers.SinkReliability.CircuitCooldown));
    }
}
