using System.Globalization;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Controllers;
using Kollect.Operator.Hosting;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Cli;

/// <summary>
/// Settings of <c>kollect run</c>, with every default in this one place (CONVENTIONS §13). Each
/// has a flag and an environment variable (<see cref="Settings"/>); a flag beats the variable.
/// </summary>
public sealed record RunOptions
{
    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }
    public bool LeaderElect { get; init; }
    public string LeaderElectionNamespace { get; init; } = "kollect-system";
    public string LeaderElectionId { get; init; } = "kollect-operator";
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
    public string MetricsBindAddress { get; init; } = ":8080";
    public string HealthProbeBindAddress { get; init; } = ":8081";
    public string ClusterName { get; init; } = "";
    public bool AllowPrivateSinks { get; init; }
    public bool AllowLoopbackSinks { get; init; }
    public bool AllowCrossNamespaceSecrets { get; init; }
    public string LogLevel { get; init; } = "info";
    public long MaxExportBytes { get; init; } = Validation.SemanticValidationOptions.DefaultMaxExportBytes;

    /// <summary>How long in-flight reconciles may run after SIGTERM before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Our bound on one sink ref's export, every part up to its acknowledgement (issue #13).</summary>
    public TimeSpan SinkPublishTimeout { get; init; } = new SinkReliabilityOptions().PublishTimeout;

    /// <summary>Consecutive transient failures on one sink that open its circuit.</summary>
    public int SinkCircuitFailures { get; init; } = new SinkReliabilityOptions().CircuitFailures;

    /// <summary>How long an open sink circuit fails fast before one export probes the broker.</summary>
    public TimeSpan SinkCircuitCooldown { get; init; } = new SinkReliabilityOptions().CircuitCooldown;

    /// <summary>Flag name, environment variable, description — the documented surface of <c>kollect run</c>.</summary>
    public static readonly IReadOnlyList<(string Flag, string Environment, string Description)> Settings =
    [
        ("--kubeconfig", "KUBECONFIG", "Path of the kubeconfig (several joined by ':'); default: in-cluster service account, else ~/.kube/config."),
        ("--context", "KOLLECT_CONTEXT", "kubeconfig context to use; default: the current context."),
        ("--leader-elect", "KOLLECT_LEADER_ELECT", "Elect a leader through a Lease so only one replica works (default false; the Deployment sets true)."),
        ("--leader-election-namespace", "KOLLECT_LEADER_ELECTION_NAMESPACE", "Namespace of the leader Lease (default kollect-system)."),
        ("--leader-election-id", "KOLLECT_LEADER_ELECTION_ID", "Name of the leader Lease (default kollect-operator)."),
        ("--lease-duration", "KOLLECT_LEASE_DURATION", "How long a standby waits before taking over an unrenewed lease (default 15s)."),
        ("--renew-deadline", "KOLLECT_RENEW_DEADLINE", "How long the leader keeps retrying to renew before it gives up leading (default 10s)."),
        ("--retry-period", "KOLLECT_RETRY_PERIOD", "Time between lease acquire/renew attempts (default 2s)."),
        ("--metrics-bind-address", "KOLLECT_METRICS_BIND_ADDRESS", "Where /metrics listens, HOST:PORT or :PORT; 0 disables (default :8080)."),
        ("--health-probe-bind-address", "KOLLECT_HEALTH_PROBE_BIND_ADDRESS", "Where /healthz and /readyz listen; 0 disables (default :8081)."),
        ("--cluster-name", "KOLLECT_CLUSTER_NAME", "Name of this cluster in exported envelopes (default empty)."),
        ("--allow-private-sinks", "KOLLECT_ALLOW_PRIVATE_SINKS", "Allow sinks on private network ranges (default false; SPEC §6.5)."),
        ("--allow-loopback-sinks", "KOLLECT_ALLOW_LOOPBACK_SINKS", "Allow sinks on loopback addresses, for development and tests only (default false)."),
        ("--allow-cross-namespace-secrets", "KOLLECT_ALLOW_CROSS_NAMESPACE_SECRETS", $"Let a sink reference a Secret in another namespace ({KollectEventSinkSpec.JsonNames.SecretRef}.{KollectEventSinkSpecSecretRef.JsonNames.Namespace}); default false (SPEC §6.5)."),
        ("--log-level", "KOLLECT_LOG_LEVEL", "debug, info, warn or error (default info)."),
        ("--shutdown-timeout", "KOLLECT_SHUTDOWN_TIMEOUT", "After SIGTERM, how long in-flight exports may run before they are cancelled and the lease is released (default 25s)."),
        ("--max-export-bytes", "KOLLECT_MAX_EXPORT_BYTES", "Cap on one export message in bytes; inventories and refs may set less, never more (default 1572864; SPEC §2.2)."),
        ("--sink-publish-timeout", "KOLLECT_SINK_PUBLISH_TIMEOUT", "Longest one sink ref's export may take, every part up to its broker acknowledgement, before it fails and is retried (default 35s)."),
        ("--sink-circuit-failures", "KOLLECT_SINK_CIRCUIT_FAILURES", "Consecutive failed exports to one sink after which its exports fail fast for the cool-down (default 3)."),
        ("--sink-circuit-cooldown", "KOLLECT_SINK_CIRCUIT_COOLDOWN", "How long an open sink circuit fails fast before one export probes the broker again (default 10s)."),
    ];

    /// <summary>
    /// Builds the options from flag values (null when not given) and environment variables;
    /// says which setting is wrong and how it should look.
    /// </summary>
    public static RunOptions Resolve(Func<string, string?> flag, Func<string, string?> environment)
    {
        var defaults = new RunOptions();
        string? Value(string flagName)
        {
            var fromEnvironment = environment(Settings.First(s => s.Flag == flagName).Environment);
            return flag(flagName) ?? (string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment);
        }

        return new RunOptions
        {
            Kubeconfig = Value("--kubeconfig"),
            Context = Value("--context"),
            LeaderElect = Value("--leader-elect") is { } le ? ParseBool(le, "--leader-elect") : defaults.LeaderElect,
            LeaderElectionNamespace = Value("--leader-election-namespace") ?? defaults.LeaderElectionNamespace,
            LeaderElectionId = Value("--leader-election-id") ?? defaults.LeaderElectionId,
            LeaseDuration = Value("--lease-duration") is { } ld ? ParseDuration(ld, "--lease-duration") : defaults.LeaseDuration,
            RenewDeadline = Value("--renew-deadline") is { } rd ? ParseDuration(rd, "--renew-deadline") : defaults.RenewDeadline,
            RetryPeriod = Value("--retry-period") is { } rp ? ParseDuration(rp, "--retry-period") : defaults.RetryPeriod,
            MetricsBindAddress = Value("--metrics-bind-address") ?? defaults.MetricsBindAddress,
            HealthProbeBindAddress = Value("--health-probe-bind-address") ?? defaults.HealthProbeBindAddress,
            ClusterName = Value("--cluster-name") ?? defaults.ClusterName,
            AllowPrivateSinks = Value("--allow-private-sinks") is { } ap ? ParseBool(ap, "--allow-private-sinks") : defaults.AllowPrivateSinks,
            AllowLoopbackSinks = Value("--allow-loopback-sinks") is { } al ? ParseBool(al, "--allow-loopback-sinks") : defaults.AllowLoopbackSinks,
            AllowCrossNamespaceSecrets = Value("--allow-cross-namespace-secrets") is { } ac ? ParseBool(ac, "--allow-cross-namespace-secrets") : defaults.AllowCrossNamespaceSecrets,
            LogLevel = Value("--log-level") is { } level ? ValidLogLevel(level) : defaults.LogLevel,
            ShutdownTimeout = Value("--shutdown-timeout") is { } st ? ParseDuration(st, "--shutdown-timeout") : defaults.ShutdownTimeout,
            MaxExportBytes = Value("--max-export-bytes") is { } mb ? ParseBytes(mb, "--max-export-bytes") : defaults.MaxExportBytes,
            SinkPublishTimeout = Value("--sink-publish-timeout") is { } pt ? ParsePositiveDuration(pt, "--sink-publish-timeout") : defaults.SinkPublishTimeout,
            SinkCircuitFailures = Value("--sink-circuit-failures") is { } cf ? ParseCount(cf, "--sink-circuit-failures") : defaults.SinkCircuitFailures,
            SinkCircuitCooldown = Value("--sink-circuit-cooldown") is { } cc ? ParseDuration(cc, "--sink-circuit-cooldown") : defaults.SinkCircuitCooldown,
        };
    }

    /// <summary>The settings the host and the controllers take, in their own layers' types.</summary>
    public OperatorHostOptions ToHostOptions() => new()
    {
        LogLevel = ParseLogLevel(LogLevel),
        MetricsBindAddress = MetricsBindAddress,
        HealthProbeBindAddress = HealthProbeBindAddress,
        LeaderElect = LeaderElect,
        LeaderElectionNamespace = LeaderElectionNamespace,
        LeaderElectionId = LeaderElectionId,
        LeaseDuration = LeaseDuration,
        RenewDeadline = RenewDeadline,
        RetryPeriod = RetryPeriod,
        Operator = new OperatorOptions
        {
            ClusterName = ClusterName,
            EndpointPolicy = new EndpointPolicy(AllowPrivateSinks, AllowLoopbackSinks),
            AllowCrossNamespaceSecrets = AllowCrossNamespaceSecrets,
            MaxExportBytes = MaxExportBytes,
            ShutdownTimeout = ShutdownTimeout,
            SinkReliability = new SinkReliabilityOptions
            {
                PublishTimeout = SinkPublishTimeout,
                CircuitFailures = SinkCircuitFailures,
                CircuitCooldown = SinkCircuitCooldown,
            },
        },
    };

    /// <summary>Go-style durations as controller-runtime flags take them: <c>15s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c>, or plain seconds.</summary>
    public static TimeSpan ParseDuration(string text, string setting)
    {
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                return TimeSpan.FromSeconds(value * seconds);
            }
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain >= 0
            ? TimeSpan.FromSeconds(plain)
            : throw new ArgumentException($"{setting}: '{text}' is not a duration; write e.g. 15s, 500ms, 2m.");
    }

    /// <summary><c>--log-level</c>: debug, info, warn (or warning) or error.</summary>
    public static Microsoft.Extensions.Logging.LogLevel ParseLogLevel(string text) => text.ToLowerInvariant() switch
    {
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "info" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warn" or "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        _ => throw new ArgumentException($"--log-level: '{text}' is not one of debug, info, warn, error."),
    };

    private static string ValidLogLevel(string text)
    {
        ParseLogLevel(text);
        return text;
    }

    private static TimeSpan ParsePositiveDuration(string text, string setting) =>
        ParseDuration(text, setting) is { } d && d > TimeSpan.Zero ? d : throw new ArgumentException($"{setting}: '{text}' must be a positive duration, e.g. 35s.");

    private static int ParseCount(string text, string setting) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : throw new ArgumentException($"{setting}: '{text}' is not a positive whole number.");

    private static long ParseBytes(string text, string setting) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? bytes
            : throw new ArgumentException($"{setting}: '{text}' is not a positive number of bytes.");

    private static bool ParseBool(string text, string setting) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ArgumentException($"{setting}: '{text}' is not true or false."),
    };
}
