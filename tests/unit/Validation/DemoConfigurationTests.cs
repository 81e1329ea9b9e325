using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Collect;
using Kollect.Operator.Manifests;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;
using Kollect.Tests.Unit.Cli;

namespace Kollect.Tests.Unit.Validation;

/// <summary>
/// The demo's embedded configuration (config/samples/demo, run by scripts/demo.sh) must stay
/// usable: valid with loopback sinks allowed, refused without (SPEC §6.5), and its profile must
/// extract the demo objects with the fake credentials redacted (SPEC §3).
/// </summary>
public sealed class DemoConfigurationTests
{
    private static readonly string[] FakeCredentials = ["demo-not-a-real-password", "demo-not-a-real-token"];

    [Fact]
    public void Demo_configuration_is_valid_with_loopback_sinks_allowed()
    {
        var read = ManifestReader.Read([ValidationTestFiles.DemoDirectory]);
        Assert.Empty(read.Errors);
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Standard(new EndpointPolicy(AllowLoopback: true)), SemanticValidationOptions.Default));

        var results = read.Documents.Select(validator.Validate).ToList();

        Assert.All(results, r => Assert.True(r.IsValid, $"{r.Document}: {string.Join("; ", r.Errors)}"));
        Assert.All(results, r => Assert.Empty(r.Warnings));
        Assert.Equal(
            [
                "KollectDatabaseSink kollect-demo/demo-postgres",
                "KollectEventSink kollect-demo/demo-kafka",
                "KollectEventSink kollect-demo/demo-nats",
                "KollectInventory kollect-demo/demo-inventory",
                "KollectProfile kollect-demo/app-settings",
                "KollectTarget kollect-demo/app-settings",
            ],
            results.Where(r => !r.Skipped).Select(r => $"{r.Kind?.Kind} {r.Document.Namespace}/{r.Document.Name}").Order(StringComparer.Ordinal));
        Assert.Equal(
            ["ConfigMap", "ConfigMap", "ConfigMap", "ConfigMap", "Namespace", "Secret"],
            results.Where(r => r.Skipped).Select(r => r.Document.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Demo_sinks_are_refused_without_allow_loopback_sinks()
    {
        var read = ManifestReader.Read([Path.Combine(ValidationTestFiles.DemoDirectory, "kollect")]);
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Standard(EndpointPolicy.PublicOnly), SemanticValidationOptions.Default));

        var errors = read.Documents.Select(validator.Validate)
            .SelectMany(r => r.Errors.Select(e => $"{r.Document.Name} {e.Path}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(["demo-kafka spec.kafka.brokers[0]", "demo-nats spec.nats.url"], errors);
    }

    [Fact]
    public void Demo_profile_extracts_the_demo_objects_with_credentials_redacted()
    {
        var extractor = new AttributeExtractor(DemoProfileAttributes());
        var objects = ManifestReader.Read([Path.Combine(ValidationTestFiles.DemoDirectory, "objects")]).Documents
            .Where(d => d.Kind == "ConfigMap")
            .ToDictionary(d => d.Name!, d => Extract(extractor, d.Content));

        Assert.Equal(
            """{"app":"checkout","settingCount":3,"settings":{"DB_HOST":"checkout-db.kollect-demo.svc","DB_PASSWORD":{"reason":"sensitive-key","redacted":true},"LOG_LEVEL":"info"},"tier":"backend"}""",
            objects["checkout-settings"]);
        Assert.Equal(
            """{"app":"payments","settingCount":3,"settings":{"api_token":{"reason":"sensitive-key","redacted":true},"currency":"EUR","provider":"https://payments.example.com/v2?region=eu\u0026mode=live"},"tier":"backend"}""",
            objects["payments-settings"]);
        Assert.All(objects.Values, json => Assert.DoesNotContain(FakeCredentials, json.Contains));
    }

    [Fact]
    public void Demo_export_writes_the_three_selected_configmaps_to_each_sink()
    {
        var output = Directory.CreateTempSubdirectory("kollect-demo-export-");
        try
        {
            var (exitCode, stdout, stderr) = CliRunner.Run(
                "export",
                "--config", Path.Combine(ValidationTestFiles.DemoDirectory, "kollect"),
                "--objects", Path.Combine(ValidationTestFiles.DemoDirectory, "objects"),
                "--allow-loopback-sinks",
                "--output", output.FullName);

            Assert.True(exitCode == 0, stdout + stderr);
            var bodies = Directory.GetFiles(output.FullName, "*.json", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".headers.json", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(output.FullName, f) + " " + File.ReadAllText(f))
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Equal(2, bodies.Count);
            foreach (var body in bodies)
            {
                var payload = JsonNode.Parse(body[(body.IndexOf(' ', StringComparison.Ordinal) + 1)..])!["payload"]!;
                Assert.Equal(3, (int)payload["itemCount"]!);
                Assert.Equal(
                    ["checkout-settings", "payments-settings", "storefront-settings"],
                    payload["items"]!.AsArray().Select(i => (string)i!["name"]!));
                // Manifests on disk carry no uid; the rows say so rather than inventing one.
                Assert.All(payload["items"]!.AsArray(), i => Assert.Equal("", (string)i!["uid"]!));
                Assert.DoesNotContain(FakeCredentials, body.Contains);
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static List<ProfileAttribute> DemoProfileAttributes()
    {
        var profile = Assert.Single(
            ManifestReader.Read([Path.Combine(ValidationTestFiles.DemoDirectory, "kollect")]).Documents,
            d => d.Kind == "KollectProfile");
        return profile.Content["spec"]!["attributes"]!.AsArray()
            .Select(a => new ProfileAttribute(
                (string)a!["name"]!,
                (string)a["path"]!,
                (string?)a["type"],
                a["optional"] is JsonValue optional && optional.GetValue<bool>()))
            .ToList();
    }

    private static string Extract(AttributeExtractor extractor, JsonNode obj)
    {
        using var document = JsonDocument.Parse(obj.ToJsonString());
        var result = extractor.Extract(document.RootElement);
        Assert.True(result.Succeeded, result.Failure);
        return Encoding.UTF8.GetString(result.Attributes!);
    }
}
