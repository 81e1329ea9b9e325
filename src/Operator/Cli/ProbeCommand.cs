using System.CommandLine;
using System.Globalization;
using Kollect.Api;
using Kollect.Operator.Manifests;
using Kollect.Operator.Sinks;
using Kollect.Operator.Validation;

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
            Description = "Manifest file or directory holding exactly one KollectEventSink (YAML or JSON, - for standard input); Secrets in it are used too. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var secretPaths = new Option<string[]>("--secrets")
        {
            Description = "A file or directory of Secret manifests (v1 Secret with data or stringData) that the sink's secretRef and tls.caSecretRef may name. Repeatable.",
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

        var command = new Command("probe", "Run the connection test of one KollectEventSink (Kafka: metadata for the topic; NATS: connect, account info, stream lookup) and print the result. Exit 0 when verified, 1 when the test fails (also for a missing Secret), 2 for bad input.")
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
            stderr.WriteLine("error: no input; pass -f SINK.yaml with one KollectEventSink");
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

        var sinks = read.Documents.Where(d => d.ApiVersion?.StartsWith(ManifestValidator.KollectGroup + "/", StringComparison.Ordinal) == true && d.Kind == "KollectEventSink").ToList();
        if (sinks.Count != 1)
        {
            stderr.WriteLine($"error: -f must hold exactly one KollectEventSink, found {sinks.Count.ToString(CultureInfo.InvariantCulture)}");
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

        stdout.WriteLine($"{prefix}: failed ({outcome.Reason}) after {elapsed} ms: {outcome.Message}");
        if (verbose)
        {
            stdout.WriteLine($"{prefix}: classification {outcome.Classification}");
        }

        return ExitFailed;
    }
}
