using System.CommandLine;
using System.Globalization;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;

namespace Kollect.Operator.Cli;

/// <summary>
/// <c>kollect export --config DIR (--objects DIR | --kubeconfig F) [--output DIR|-]</c> (SPEC §8):
/// the operator's pipeline run once — the same collection engine, rows, envelopes and sink
/// publishers — over local manifests or one LIST of a cluster. Exit codes: 0 every ref exported,
/// 1 some ref failed (the others were still exported), 2 bad configuration or usage.
/// </summary>
internal static class ExportCommand
{
    public const int ExitExported = 0;
    public const int ExitPartialFailure = 1;
    public const int ExitBadConfiguration = 2;

    public static Command Create()
    {
        var config = new Option<string[]>("--config", "-c")
        {
            Description = "File or directory of Kollect manifests (profiles, targets, cluster targets, inventories, cluster inventories, event sinks, database sinks) and the Secrets the sinks reference. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var objects = new Option<string[]>("--objects")
        {
            Description = "File or directory of the objects to collect (any kind, Secrets included, plus Namespace objects for namespace labels); instead of --kubeconfig. A Secret here or in --config serves sinks and targets alike. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var kubeconfig = new Option<string>("--kubeconfig")
        {
            Description = "List the objects to collect (and namespaces) once from this cluster instead of --objects.",
        };
        var context = new Option<string>("--context")
        {
            Description = "kubeconfig context to use with --kubeconfig; default: the current context.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Write the envelopes instead of publishing them: a directory (one file per message, see README) or - for standard output (one event envelope per line). Database sink refs are then not written.",
        };
        var clusterName = new Option<string>("--cluster-name")
        {
            Description = $"Cluster name written into envelopes whose sink sets no {KollectEventSink.JsonNames.Spec}.{KollectEventSinkSpec.JsonNames.Cluster} (as the operator's flag).",
            DefaultValueFactory = _ => "",
        };
        var maxExportBytes = new Option<long>("--max-export-bytes")
        {
            Description = "The export size cap in bytes (as the operator's cap); refs and inventories may set less.",
            DefaultValueFactory = _ => SemanticValidationOptions.DefaultMaxExportBytes,
        };
        var safety = new SinkSafetyOptions();
        var timeout = new Option<string>("--timeout")
        {
            Description = "How long the whole export may take before unfinished publishes are reported as failed, as a duration such as 1m.",
            DefaultValueFactory = _ => "2m",
        };
        var once = new Option<bool>("--once")
        {
            Description = "Export once and exit. This is what export always does; the flag is accepted for scripts written against SPEC §8.",
        };

        var command = new Command("export", "Run the collection and export pipeline once: build rows and envelopes exactly as the operator does from local manifests (--objects) or one LIST of a cluster (--kubeconfig), then publish them to the inventories' event sinks and write their rows to the database sinks, or write the envelopes out (--output). Prints a line per inventory and sink. Exit 0 when every ref exported, 1 when some failed, 2 for bad configuration.") // not a Kollect field: a command name
        {
            config, objects, kubeconfig, context, output, clusterName, maxExportBytes, safety.AllowPrivate, safety.AllowLoopback, safety.AllowCrossNamespaceSecrets, timeout, once,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new ExportRequest
            {
                ConfigPaths = parseResult.GetValue(config) ?? [],
                ObjectPaths = parseResult.GetValue(objects) ?? [],
                Kubeconfig = parseResult.GetValue(kubeconfig),
                Context = parseResult.GetValue(context),
                Output = parseResult.GetValue(output),
                ClusterName = parseResult.GetValue(clusterName) ?? "",
                MaxExportBytes = parseResult.GetValue(maxExportBytes),
                EndpointPolicy = safety.Policy(parseResult),
                AllowCrossNamespaceSecrets = parseResult.GetValue(safety.AllowCrossNamespaceSecrets),
                Timeout = parseResult.GetValue(timeout) ?? "2m",
            },
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(ExportRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (request.ConfigPaths.Count == 0)
        {
            stderr.WriteLine("error: no configuration; pass --config DIR with the Kollect manifests and Secrets");
            return ExitBadConfiguration;
        }
        if ((request.ObjectPaths.Count > 0) == (request.Kubeconfig is not null))
        {
            stderr.WriteLine("error: say where the objects come from: either --objects DIR or --kubeconfig FILE (not both)");
            return ExitBadConfiguration;
        }
        if (!Duration.TryParse(request.Timeout, out var timeout) || timeout.ToTimeSpan() <= TimeSpan.Zero)
        {
            stderr.WriteLine($"error: --timeout must be a positive duration such as 2m, not '{request.Timeout}'");
            return ExitBadConfiguration;
        }
        if (request.MaxExportBytes <= 0)
        {
            stderr.WriteLine("error: --max-export-bytes must be positive");
            return ExitBadConfiguration;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout.ToTimeSpan());
        // With --output - the envelopes own standard output; the summary then goes to standard error.
        var summary = request.Output == "-" ? stderr : stdout;
        OneShotExportResult result;
        var gateway = CreateGateway(request.Output);
        // With --output nothing is dialled: database refs are reported, not written.
        await using var databases = request.Output is null ? new DatabaseSinkGateway() : null;
        try
        {
            result = await new OneShotExport(request).RunAsync(gateway, databases, deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            if (gateway is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }
        foreach (var problem in result.ConfigurationProblems)
        {
            stderr.WriteLine(problem);
        }
        if (result.ConfigurationProblems.Count > 0)
        {
            stderr.WriteLine("error: the configuration is not usable; fix the problems above (kollect validate shows schema problems too)");
            return ExitBadConfiguration;
        }
        foreach (var warning in result.Warnings)
        {
            stderr.WriteLine($"warning: {warning}");
        }
        foreach (var (inventory, export) in result.Inventories)
        {
            if (export.Sinks.Count == 0)
            {
                summary.WriteLine($"{inventory}: no event or database sink refs; nothing exported");
            }
            foreach (var sink in export.Sinks)
            {
                summary.WriteLine($"{inventory} → {sink.Name}: {Describe(sink)}");
            }
        }
        return result.AnyFailed ? ExitPartialFailure : ExitExported;
    }

    private static IEventSinkGateway CreateGateway(string? output) => output switch
    {
        null => new EventSinkGateway(),
        "-" => EnvelopeFileGateway.ToStream(Console.OpenStandardOutput()),
        _ => EnvelopeFileGateway.ToDirectory(output),
    };

    private static string Describe(SinkExportOutcome sink) => sink.State switch
    {
        SinkExportState.Exported when sink.Name.StartsWith("database/", StringComparison.Ordinal) => sink.Message,
        SinkExportState.Exported => $"exported {Count(sink.Parts, "message")}, {sink.Bytes.ToString(CultureInfo.InvariantCulture)} bytes, checksum {sink.Checksum}",
        SinkExportState.Skipped => $"unchanged, not re-sent ({sink.Message})",
        _ => $"{sink.State.ToString().ToLowerInvariant()} ({sink.Reason}): {sink.Message}",
    };

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
