using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Export;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Manifests;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// <c>kollect export</c> (SPEC §8): one pass of the operator's pipeline. The configuration feeds
/// the same <see cref="CollectionEngine"/> the operator keeps; the objects come from manifests or
/// one LIST per kind; each inventory goes through the same <see cref="InventoryExporter"/> with a
/// status of its own (none on disk, so everything counts as a first export).
/// </summary>
public sealed class OneShotExport(ExportRequest request)
{
    /// <param name="databases">Writes database sink refs; null with <c>--output</c>, where they are reported and not written.</param>
    public async Task<OneShotExportResult> RunAsync(IEventSinkGateway gateway, IDatabaseSinkGateway? databases, CancellationToken cancellationToken)
    {
        // With --output nothing is dialled, so the endpoint guard (SPEC §6.5) has nothing to guard.
        var policy = request.Output is null ? request.EndpointPolicy : new EndpointPolicy(AllowPrivate: true, AllowLoopback: true);
        var semantic = new SemanticValidator(
            SemanticRuleSet.Standard(policy),
            new SemanticValidationOptions { MaxExportBytes = request.MaxExportBytes });
        var (configuration, problems) = LocalConfiguration.Load(request.ConfigPaths, semantic);
        if (configuration is null)
        {
            return OneShotExportResult.BadConfiguration(problems);
        }
        var inventories = configuration.Of(KollectInventory.KindName).Concat(configuration.Of(KollectClusterInventory.KindName)).ToList();
        if (inventories.Count == 0)
        {
            return OneShotExportResult.BadConfiguration([$"no KollectInventory or KollectClusterInventory in {string.Join(", ", request.ConfigPaths)}: nothing to export"]);
        }

        var engine = new CollectionEngine();
        using var source = await LoadObjectsAsync(configuration, cancellationToken).ConfigureAwait(false);
        if (source.Problems.Count > 0)
        {
            return OneShotExportResult.BadConfiguration(source.Problems);
        }
        foreach (var ns in source.Namespaces)
        {
            engine.UpsertNamespace(ns);
        }
        foreach (var profile in configuration.Of(KollectProfile.KindName))
        {
            engine.UpsertProfile(profile.Deserialize(KollectJsonContext.Default.KollectProfile)!);
        }
        var targets = configuration.Of(KollectTarget.KindName).Concat(configuration.Of(KollectClusterTarget.KindName)).ToList();
        foreach (var target in configuration.Of(KollectTarget.KindName))
        {
            engine.UpsertTarget(target.Deserialize(KollectJsonContext.Default.KollectTarget)!);
        }
        foreach (var target in configuration.Of(KollectClusterTarget.KindName))
        {
            engine.UpsertTarget(target.Deserialize(KollectJsonContext.Default.KollectClusterTarget)!);
        }
        foreach (var kind in engine.WatchedKinds)
        {
            engine.ReplaceObjects(kind, await source.ObjectsOf(kind, cancellationToken).ConfigureAwait(false));
        }

        var warnings = new List<string>();
        foreach (var target in targets)
        {
            if (engine.Report(CollectionEngine.KeyOf(target)) is { } report && TargetProblem(report) is { } problem)
            {
                warnings.Add($"{target["kind"]} {LocalConfiguration.Describe(target)}: {problem}");
            }
        }

        var resolverOptions = new EventSinkResolverOptions
        {
            EndpointPolicy = policy,
            AllowCrossNamespaceSecrets = request.AllowCrossNamespaceSecrets,
        };
        var sinks = new ManifestSinkDirectory(configuration, resolverOptions);
        var databaseSinks = new ManifestDatabaseSinkDirectory(configuration, resolverOptions);
        var exporter = new InventoryExporter(gateway, new InventoryExportOptions
        {
            ClusterName = request.ClusterName,
            OperatorMaxExportBytes = request.MaxExportBytes,
        }, databases: databases);
        var results = new List<(string Inventory, InventoryExportResult Result)>();
        foreach (var inventory in inventories)
        {
            var selection = InventorySelection.Select(engine, (string?)inventory["kind"] ?? "", inventory);
            warnings.AddRange(selection.Problems.Select(p => $"KollectClusterInventory {LocalConfiguration.Describe(inventory)}: {p}"));
            var rows = selection.Rows;
            var result = await exporter.ExportAsync(inventory, rows, sinks.LookupAsync, databaseSinks.LookupAsync, cancellationToken).ConfigureAwait(false);
            results.Add(($"{inventory["kind"]} {LocalConfiguration.Describe(inventory)}", result));
        }
        return new OneShotExportResult([], warnings, results);
    }

    private static string? TargetProblem(TargetReport report) =>
        report.LastExtractionError is { } error ? $"{report.ExtractionFailures} object(s) could not be extracted; last: {error}"
        : report.Problem;

    private async Task<ObjectSource> LoadObjectsAsync(LocalConfiguration configuration, CancellationToken cancellationToken)
    {
        if (request.Kubeconfig is { } kubeconfig)
        {
            return await ObjectSource.FromClusterAsync(kubeconfig, request.Context, cancellationToken).ConfigureAwait(false);
        }
        return ObjectSource.FromManifests(request.ObjectPaths, configuration);
    }
}
