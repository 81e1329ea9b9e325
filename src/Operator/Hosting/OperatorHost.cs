using System.Text.Encodings.Web;
using System.Text.Json;
using Kollect.Operator.Controllers;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Kollect.Operator.Hosting;

/// <summary>
/// <c>kollect run</c> as a generic host (SPEC §7): JSON console logs on standard error with UTC
/// timestamps, the options resolved from flags and environment, and three hosted services in
/// start order — probes and metrics, leader election (when enabled), controllers. The host stops
/// them in reverse: controllers drain within <c>--shutdown-timeout</c>, then the lease is released,
/// then the probe servers close.
/// </summary>
public static partial class OperatorHost
{
    /// <summary>Time left after the drain for releasing the lease and closing the servers.</summary>
    private static readonly TimeSpan AfterDrain = TimeSpan.FromSeconds(5);

    public static IHost Build(OperatorHostOptions options, KubeClientConfig kube, OperatorProbes probes)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "kollect" });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddJsonConsole(json =>
        {
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            json.IncludeScopes = false;
            // Readable messages: the default encoder would escape quotes and '+' as \u0022, \u002B.
            json.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Operator.ShutdownTimeout + options.RenewDeadline + AfterDrain);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(options.Operator);
        services.AddSingleton(kube);
        services.AddSingleton(_ => new KubeClient(kube));
        services.AddSingleton(probes);
        services.AddSingleton(probes.Metrics);
        services.AddSingleton(OperatorIdentity.Create(Environment.GetEnvironmentVariable(OperatorIdentity.PodNameVariable)));
        services.AddSingleton(provider =>
        {
            var log = provider.GetRequiredService<ILoggerFactory>().CreateLogger("kafka"); // not a Kollect field: a logger name
            return new EventSinkGateway(line => KafkaClientLine(log, line));
        });
        services.AddSingleton(_ => new DatabaseSinkGateway());
        services.AddSingleton<OperatorControllers>();
        services.AddHostedService<ProbeService>();
        services.AddHostedService<MemoryTrimService>();
        if (options.LeaderElect)
        {
            services.AddSingleton(new Leadership { Elects = true });
            services.AddSingleton(provider => new LeaderElector(
                provider.GetRequiredService<KubeClient>(),
                new LeaderElectionOptions
                {
                    Namespace = options.LeaderElectionNamespace,
                    LeaseName = options.LeaderElectionId,
                    Identity = provider.GetRequiredService<OperatorIdentity>().Name,
                    LeaseDuration = options.LeaseDuration,
                    RenewDeadline = options.RenewDeadline,
                    RetryPeriod = options.RetryPeriod,
                },
                provider.GetRequiredService<ILoggerFactory>(),
                probes.Metrics));
            services.AddHostedService<LeaderElectionService>();
        }
        else
        {
            services.AddSingleton(Leadership.Always());
        }
        services.AddHostedService<ControllerService>();

        var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var events = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("kollect");
        lifetime.ApplicationStopping.Register(() => StopRequested(events, options.Operator.ShutdownTimeout.TotalSeconds));
        lifetime.ApplicationStopped.Register(() => Stopped(events));
        return host;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "kafka client: {detail}")]
    private static partial void KafkaClientLine(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "stop requested; draining in-flight work for up to {shutdownTimeoutSeconds} s")]
    private static partial void StopRequested(ILogger logger, double shutdownTimeoutSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "operator stopped")]
    private static partial void Stopped(ILogger logger);
}
