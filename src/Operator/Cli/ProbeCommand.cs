using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Manifests;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Operator.Cli;

/// <summary>
/// <c>kollect probe -f SINK.yaml [--secrets DIR]</c> (SPEC §8): validates one
/// <c>KollectEventSink</c>, resolves it with its Secrets exactly as the operator does, runs the
/// connection test of SPEC §6.3 and prints one result line. Exit codes: 0 verified, 1 the probe
/// failed (including a missing or unusable Secret: the operator reports that as
/// <c>ConnectionVerified=False</c> too), 2 bad input or usage.
/// </summary>
internal static class ProbeCommand
{
    public const int ExitVerified = 0;
    public const int ExitFailed = 1;
    public const int ExitBadInput = 2;

    public static Command Create()
    {
        var filenames = new Option<string[]>("--filename", "-f")
        {
            Description = "Manifest file or directory holding exactly one KollectEventSink or KollectDatabaseSink (YAML or JSON, - for standard input); Secrets in it are used too. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var secretPaths = new Option<string[]>("--secrets")
        {
            Description = $"A file or directory of Secret manifests (v1 Secret with data or stringData) that the sink's {KollectEventSinkSpec.JsonNames.SecretRef}, {KollectDatabaseSinkSpec.JsonNames.Postgres}.{KollectDatabaseSinkSpecPostgres.JsonNames.DatabaseRef} and {KollectEventSinkSpec.JsonNames.Tls}.{KollectEventSinkSpecTls.JsonNames.CaSecretRef} may name. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var safety = new SinkSafetyOptions();
        var timeout = new Option<string>("--timeout")
        {
            Description = "How long connecting (TCP, TLS, authentication) and the metadata or stream lookup may take, as a duration such as 10s or 1m30s.",
            DefaultValueFactory = _ => "10s",
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Also print the resolved settings (secrets redacted), the failure classification and client diagnostics.",
        };

        var command = new Command("probe", "Run the connection test of one KollectEventSink (Kafka: metadata for the topic; NATS: connect, account info, stream lookup) or KollectDatabaseSink (PostgreSQL: connect, the table exists or may be created, the role may write it) and print the result. Exit 0 when verified, 1 when the test fails (also for a missing Secret), 2 for bad input.")
        {
            filenames,
            secretPaths,
            safety.AllowPrivate,
            safety.AllowLoopback,
            safety.AllowCrossNamespaceSecrets,
            timeout,
            verbose,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(filenames) ?? [],
            parseResult.GetValue(secretPaths) ?? [],
            safety.Policy(parseResult),
            parseResult.GetValue(safety.AllowCrossNamespaceSecrets),
            parseResult.GetValue(timeout) ?? "10s",
            parseResult.GetValue(verbose),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(
        IReadOnlyList<string> paths,
        IReadOnlyList<string> secretPaths,
        EndpointPolicy policy,
        bool allowCrossNamespaceSecrets,
        string timeoutText,
        bool verbose,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            stderr.WriteLine("error: no input; pass -f SINK.yaml with one KollectEventSink or KollectDatabaseSink");
            return ExitBadInput;
        }

        if (!Duration.TryParse(timeoutText, out var duration) || duration.ToTimeSpan() <= TimeSpan.Zero)
        {
            stderr.WriteLine($"error: --timeout must be a positive duration such as 10s, not '{timeoutText}'");
            return ExitBadInput;
        }

        var read = ManifestReader.Read(paths);
        var secretsRead = secretPaths.Count == 0 ? null : ManifestReader.Read(secretPaths);
        var unreadable = read.Errors.Concat(secretsRead?.Errors ?? []).ToList();
        foreach (var error in unreadable)
        {
            stderr.WriteLine(error.ToString());
        }

        if (unreadable.Count > 0)
        {
            return ExitBadInput;
        }

        var sinks = read.Documents.Where(d => d.ApiVersion?.StartsWith(ManifestValidator.KollectGroup + "/", StringComparison.Ordinal) == true
            && d.Kind is KollectEventSink.KindName or KollectDatabaseSink.KindName).ToList();
        if (sinks.Count != 1)
        {
            stderr.WriteLine($"error: -f must hold exactly one KollectEventSink or KollectDatabaseSink, found {sinks.Count.ToString(CultureInfo.InvariantCulture)}");
            return ExitBadInput;
        }

        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Standard(policy), new SemanticValidationOptions()));
        var validation = validator.Validate(sinks[0]);
        if (!validation.IsValid || validation.Defaulted is null)
        {
            foreach (var problem in validation.Errors)
            {
                stderr.WriteLine($"{validation.Document}: {problem}");
            }

            stderr.WriteLine("error: the sink is not valid; fix the problems above (kollect validate shows the same)");
            return ExitBadInput;
        }

        var store = new ManifestSecretStore();
        store.AddRange(read.Documents);
        store.AddRange(secretsRead?.Documents ?? []);
        foreach (var problem in store.Problems)
        {
            stderr.WriteLine(problem);
        }

        if (store.Problems.Count > 0)
        {
            return ExitBadInput;
        }

        var options = new EventSinkResolverOptions { EndpointPolicy = policy, AllowCrossNamespaceSecrets = allowCrossNamespaceSecrets, ConnectTimeout = duration.ToTimeSpan() };
        if (validation.Kind?.Kind == KollectDatabaseSink.KindName)
        {
            return await ProbeDatabaseSinkAsync(validation.Defaulted, store, options, verbose, stdout, cancellationToken).ConfigureAwait(false);
        }

        var resolution = new EventSinkResolver(store.Find, options).Resolve(validation.Defaulted);
        var prefix = $"KollectEventSink {resolution.Sink} ({resolution.Type})";
        if (resolution.Failure is { } failure)
        {
            stdout.WriteLine($"{prefix}: failed ({failure.Reason}): {failure.Message}");
            return ExitFailed;
        }

        if (verbose)
        {
            stdout.WriteLine($"{prefix}: settings {(object?)resolution.Kafka ?? resolution.Nats}");
        }

        await using var gateway = new EventSinkGateway(verbose ? stderr.WriteLine : null);
        var outcome = await gateway.ProbeAsync(resolution, cancellationToken).ConfigureAwait(false);
        var elapsed = ((long)outcome.Elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        if (outcome.Verified)
        {
            stdout.WriteLine($"{prefix}: verified in {elapsed} ms — {outcome.Message}");
            return ExitVerified;
        }

        return Failed(prefix, outcome, verbose, stdout);
    }

    // SPEC §2.5: connect, the table exists or may be created, the role may write it.
    private static async Task<int> ProbeDatabaseSinkAsync(
        JsonObject defaulted, ManifestSecretStore store, EventSinkResolverOptions options, bool verbose, TextWriter stdout, CancellationToken cancellationToken)
    {
        var sink = KollectModels.DatabaseSink(defaulted)!;
        var resolution = new DatabaseSinkResolver(store.Find, options).Resolve(sink);
        var prefix = $"{KollectDatabaseSink.KindName} {resolution.Sink} ({resolution.Type})";
        if (resolution.Failure is { } failure)
        {
            stdout.WriteLine($"{prefix}: failed ({failure.Reason}): {failure.Message}");
            return ExitFailed;
        }

        if (verbose)
        {
            stdout.WriteLine($"{prefix}: settings {resolution.Postgres}");
        }

        await using var gateway = new DatabaseSinkGateway();
        var outcome = await gateway.ProbeAsync(resolution, cancellationToken).ConfigureAwait(false);
        if (outcome.Verified)
        {
            stdout.WriteLine($"{prefix}: verified in {((long)outcome.Elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)} ms — {outcome.Message}");
            return ExitVerified;
        }

        return Failed(prefix, outcome, verbose, stdout);
    }

    private static int Failed(string prefix, SinkProbeOutcome outcome, bool verbose, TextWriter stdout)
    {
        stdout.WriteLine($"{prefix}: failed ({outcome.Reason}) after {((long)outcome.Elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)} ms: {outcome.Message}");
        if (verbose)
        {
            stdout.WriteLine($"{prefix}: classification {outcome.Classification}");
        }

        return ExitFailed;
    }
}
