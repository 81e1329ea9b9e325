using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Kollect.Testing.KubeApiServer;
using Kollect.Tests.E2e.Local;
using Xunit.Abstractions;

namespace Kollect.Tests.E2e.Deploy;

/// <summary>
/// Issue #17 §4: RBAC proven, not guessed. config/default is applied with kubectl to the test API
/// server with RBAC on, and the operator runs from the image with its ServiceAccount's token.
/// With exactly the shipped rules the whole pipeline works and no request of the operator is
/// refused; without any one rule, a request that rule allows is refused with 403 and the
/// operator's log names it.
/// </summary>
[Collection(LocalModeCollection.Name)]
public sealed class RbacTests(ITestOutputHelper output) : IAsyncLifetime
{
    private Installation _installation = null!;
    private ImageOperator _image = null!;

    public async Task InitializeAsync()
    {
        _installation = await Installation.StartAsync();
        try
        {
            _image = await ImageOperator.CreateAsync(_installation);
        }
        catch
        {
            // xunit does not dispose a class whose initialization failed: stop the servers here.
            await _installation.DisposeAsync();
            throw;
        }
        output.WriteLine($"the operator runs from {_image.Mode}");
    }

    public async Task DisposeAsync()
    {
        _image?.Dispose();
        if (_installation is not null)
        {
            await _installation.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_shipped_rules_the_whole_pipeline_works_and_no_request_is_denied()
    {
        var scenario = new DeployScenario("rbac-shipped");
        await scenario.CreateAsync(_installation);
        using var @operator = _image.Start();

        await WaitForPipelineAsync(scenario, @operator);

        var denied = _installation.DeniedSummary();
        Assert.True(denied.Length == 0, $"with the shipped RBAC the operator (run from {_image.Mode}) was refused:\n{denied}\n{@operator.Excerpt()}");
    }

    /// <summary>
    /// Each verb of each rule is taken away in turn (which also proves every whole rule is needed):
    /// a request with that verb must then be refused, nothing else, and the log must say so.
    /// </summary>
    [Fact]
    public async Task Without_any_one_shipped_rule_or_verb_its_request_is_refused_with_403_and_the_log_names_it()
    {
        var rules = await ShippedRulesAsync();
        Assert.True(rules.Count >= 10, $"expected the rules of config/rbac, found {rules.Count} verbs");
        var failures = new List<string>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var clock = Stopwatch.StartNew();
            var outcome = await RunWithoutAsync(rule, new DeployScenario($"rbac-rule-{i}"));
            output.WriteLine($"{rule}: {outcome ?? "refused and logged"} ({clock.Elapsed.TotalSeconds:F1} s)");
            if (outcome is not null)
            {
                failures.Add($"{rule}: {outcome}");
            }
        }
        Assert.True(failures.Count == 0, $"the operator ran from {_image.Mode}; rules whose removal was not proven:\n{string.Join("\n\n", failures)}");
    }

    /// <summary>The whole pipeline: both sinks received a verified export, the inventory is Ready, the connection test ran and was deleted, Events were written, the Lease is held.</summary>
    private async Task WaitForPipelineAsync(DeployScenario scenario, OperatorProcess @operator)
    {
        Task<string> Diagnostics() => Task.FromResult($"denied so far:\n{_installation.DeniedSummary()}\n{@operator.Excerpt()}");
        var kube = _installation.Kube;
        await Eventually.WaitAsync("a verified export of 3 rows on Kafka and on NATS", async () =>
        {
            var kafka = EnvelopeVerifier.VerifyAll(
                (await KafkaTopicReader.ReadAsync(_installation.Kafka.Bootstrap, Installation.KafkaTopic)).Where(m => m.Header("kollect-inventory") == scenario.InventoryHeader),
                scenario.InventoryHeader);
            var nats = EnvelopeVerifier.VerifyAll(NatsStreamReader.Read(_installation.Nats.Port, scenario.NatsStream, Installation.NatsToken), scenario.InventoryHeader);
            return kafka.Any(e => e.ItemCount == DeployScenario.ExpectedItems) && nats.Any(e => e.ItemCount == DeployScenario.ExpectedItems) ? kafka : null;
        }, Diagnostics);
        await Eventually.WaitAsync("the inventory Ready=True", async () =>
        {
            var inventory = await kube.GetAsync("KollectInventory", scenario.Namespace, DeployScenario.Inventory);
            return inventory?["status"]?["conditions"]?.AsArray().Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true ? inventory : null;
        }, Diagnostics);
        await Eventually.WaitAsync("the connection test deleted after its TTL", async () =>
            await kube.GetAsync("KollectConnectionTest", scenario.Namespace, DeployScenario.ConnectionTest) is null ? "gone" : null, Diagnostics);
        await Eventually.WaitAsync($"the {DeployScenario.TestConnectionAnnotation} annotation removed from the Kafka sink", async () =>
        {
            var sink = await kube.GetAsync("KollectEventSink", scenario.Namespace, DeployScenario.KafkaSink);
            return sink?["metadata"]?["annotations"]?[DeployScenario.TestConnectionAnnotation] is null ? sink : null;
        }, Diagnostics);
        await Eventually.WaitAsync("Events written by kollect.dev/operator", async () =>
        {
            var events = await kube.ListAsync("Event", scenario.Namespace);
            return events.Any(e => (string?)e["reportingController"] == "kollect.dev/operator") ? events : null;
        }, Diagnostics);
        await Eventually.WaitAsync("the leader Lease held", async () =>
        {
            var lease = await kube.GetAsync("Lease", Installation.Namespace, "kollect-operator");
            return lease?["spec"]?["holderIdentity"] is JsonValue ? lease : null;
        }, Diagnostics);
    }

    /// <summary>
    /// Runs the operator on a fresh scenario with the verb of <paramref name="rule"/> taken away; null when a
    /// request it allowed was refused with 403 and a log line names its verb and resource, else why not.
    /// </summary>
    private async Task<string?> RunWithoutAsync(ShippedRule rule, DeployScenario scenario)
    {
        var kube = _installation.Kube;
        var original = await rule.ReadRoleAsync(kube);
        await kube.ReplaceAsync(rule.Without(original));
        if (await kube.GetAsync("Lease", Installation.Namespace, "kollect-operator") is not null)
        {
            // A fresh start creates the Lease, so the leader-election create rule is exercised too.
            await kube.DeleteAsync("Lease", Installation.Namespace, "kollect-operator");
        }
        await scenario.CreateAsync(_installation);
        var seen = _installation.Authorizer.Denied.Count;
        var @operator = _image.Start();
        try
        {
            var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
            while (DateTime.UtcNow < deadline)
            {
                var denied = _installation.Authorizer.Denied.Skip(seen).Where(d => d.User.Name == Installation.OperatorUser).ToList();
                var matching = denied.Where(d => RbacAuthorizer.RuleAllows(rule.Removed, d)).ToList();
                var unexpected = denied.Except(matching).Select(Describe).Distinct().ToList();
                if (unexpected.Count > 0)
                {
                    return $"requests the removed verb does not cover were refused too (another rule is missing):\n{string.Join('\n', unexpected)}";
                }
                var logged = matching.FirstOrDefault(d => @operator.Lines.Any(line => NamesRefusal(line, d)));
                if (logged is not null)
                {
                    return null;
                }
                await Task.Delay(200);
            }
            var refused = _installation.Authorizer.Denied.Skip(seen).Where(d => RbacAuthorizer.RuleAllows(rule.Removed, d)).Select(Describe).Distinct().ToList();
            return refused.Count == 0
                ? $"no request the removed verb allows was refused within {Eventually.DefaultTimeout.TotalSeconds:F0} s (is it needed?)\n{@operator.Excerpt(30)}"
                : $"refused ({string.Join("; ", refused)}) but no log line names the refusal\n{@operator.Excerpt(30)}";
        }
        finally
        {
            @operator.Dispose();
            var current = await rule.ReadRoleAsync(kube);
            current["rules"] = original["rules"]!.DeepClone();
            await kube.ReplaceAsync(current);
        }
    }

    /// <summary>A log line that reports the 403 for this request: the status code, the verb and the resource.</summary>
    private static bool NamesRefusal(string line, RequestAttributes request) =>
        line.Contains("403", StringComparison.Ordinal)
        && line.Contains(request.Verb, StringComparison.OrdinalIgnoreCase)
        && line.Contains(request.ResourceWithSubresource, StringComparison.Ordinal);

    private static string Describe(RequestAttributes d) =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Verb} {d.ApiGroup}/{d.ResourceWithSubresource}{(d.Namespace.Length > 0 ? " in " + d.Namespace : "")}{(d.Name.Length > 0 ? " name " + d.Name : "")}");

    /// <summary>Every verb of every rule of the ClusterRoles and Roles config/default installed (labelled app.kubernetes.io/part-of: kollect).</summary>
    private async Task<List<ShippedRule>> ShippedRulesAsync()
    {
        var rules = new List<ShippedRule>();
        foreach (var (kind, ns) in new[] { ("ClusterRole", (string?)null), ("Role", Installation.Namespace) })
        {
            foreach (var role in await _installation.Kube.ListAsync(kind, ns))
            {
                if ((string?)role["metadata"]?["labels"]?["app.kubernetes.io/part-of"] != "kollect" || role["rules"] is not JsonArray list)
                {
                    continue;
                }
                for (var i = 0; i < list.Count; i++)
                {
                    var rule = list[i]!.AsObject();
                    rules.AddRange(rule["verbs"]!.AsArray().Select(v => new ShippedRule(kind, ns, (string)role["metadata"]!["name"]!, i, rule, (string)v!)));
                }
            }
        }
        return rules;
    }
}
