using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Export;

/// <summary>
/// The seven behaviours of issue #12 where our messages must be the original's, each seen
/// through the published binary as a new user would see it: <c>kollect export</c> over manifests
/// with <c>--output</c> (no broker; the Nats-Msg-Id and redaction through real brokers are checked by
/// <see cref="ExportCommandTests"/> with the <see cref="EnvelopeVerifier"/>), and <c>kollect validate</c>.
/// </summary>
public sealed class CompatibilityTests : IDisposable
{
    private const string Cluster = "compat";

    private readonly ExportWorkspace _workspace = new();

    [Fact]
    public async Task A_row_with_a_redacted_value_has_the_bytes_and_checksum_go_gives_it()
    {
        // The row of the vector "configmap settings with redacted keys among sorted keys" of tests/compat/go/canonical.
        WriteConfig("kollect-demo", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: settings, namespace: kollect-demo}
            spec:
              targetGVK: {group: "", version: v1, kind: ConfigMap}
              attributes:
                - {name: settings, path: '$.data'}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectTarget
            metadata: {name: configmaps, namespace: kollect-demo}
            spec: {profileRef: settings}
            """);
        WriteObjects("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: checkout, namespace: kollect-demo}
            data: {LOG_LEVEL: info, DB_PASSWORD: hunter2, DB_HOST: db.svc, api_token: t0ps3cret, tls: "off"}
            """);

        var envelope = Assert.Single(await ExportToStdoutAsync());

        var expected = GoVector("canonical", "configmap settings with redacted keys among sorted keys");
        Assert.Equal(expected.GetProperty("items").GetString(), Encoding.UTF8.GetString(EnvelopeVerifier.RawItems(envelope)));
        using var document = JsonDocument.Parse(envelope);
        Assert.Equal(expected.GetProperty("checksum").GetString(), document.RootElement.GetProperty("payload").GetProperty("checksum").GetString());
    }

    [Fact]
    public async Task An_evaluation_error_drops_a_required_attributes_row_and_omits_an_optional_one()
    {
        WriteConfig("team-a", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: finalizers, namespace: team-a}
            spec:
              targetGVK: {group: "", version: v1, kind: ConfigMap}
              attributes:
                - {name: second, path: '{.metadata.finalizers[1]}'}
                - {name: initial, path: '{.metadata.name[0]}', optional: true}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectTarget
            metadata: {name: t, namespace: team-a}
            spec: {profileRef: finalizers}
            """);
        WriteObjects("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: two, namespace: team-a, finalizers: [example.com/a, example.com/b]}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: one, namespace: team-a, finalizers: [example.com/a]}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: none, namespace: team-a}
            """);

        var result = await _workspace.ExportAsync("--output", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """[{"targetNamespace":"team-a","targetName":"t","namespace":"team-a","name":"none","version":"v1","kind":"ConfigMap","uid":"","attributes":{"second":null}},"""
            + """{"targetNamespace":"team-a","targetName":"t","namespace":"team-a","name":"two","version":"v1","kind":"ConfigMap","uid":"","attributes":{"second":"example.com/b"}}]""",
            Encoding.UTF8.GetString(EnvelopeVerifier.RawItems(Assert.Single(Envelopes(result)))));
        Assert.Contains(
            "warning: KollectTarget team-a/t: 1 object(s) could not be extracted; last: ConfigMap team-a/one: attribute 'second' (path '{.metadata.finalizers[1]}'): index [1] is out of range for a list of 1 element(s)",
            result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Objects_manifests_give_secrets_to_collect_and_to_sinks()
    {
        WriteConfig("team-a", SecretProfile(path: "$.type") + "\n" + """
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectTarget
            metadata: {name: secrets, namespace: team-a}
            spec: {profileRef: secrets}
            """);
        WriteObjects("""
            apiVersion: v1
            kind: Secret
            metadata: {name: db, namespace: team-a, labels: {app: db}}
            type: kubernetes.io/basic-auth
            stringData: {username: app, password: canary-Xe42-export-secret}
            """);

        var envelope = Assert.Single(await ExportToStdoutAsync());

        Assert.Equal(
            """[{"targetNamespace":"team-a","targetName":"secrets","namespace":"team-a","name":"db","version":"v1","kind":"Secret","uid":"","attributes":{"labels":{"app":"db"},"value":"kubernetes.io/basic-auth"}}]""",
            Encoding.UTF8.GetString(EnvelopeVerifier.RawItems(envelope)));
    }

    [Fact]
    public async Task A_secret_profile_reading_data_is_refused_unless_annotated()
    {
        var refused = Path.Combine(_workspace.Directory, "refused.yaml");
        ExportWorkspace.Write(_workspace.Directory, "refused.yaml", SecretProfile(path: "$.data.password"));
        var allowed = Path.Combine(_workspace.Directory, "allowed.yaml");
        ExportWorkspace.Write(_workspace.Directory, "allowed.yaml", SecretProfile(path: "$.data.password", annotations: """{"kollect.dev/allow-secret-extraction": "true"}"""));

        var validate = await KollectBinary.RunAsync("validate", "-f", refused);
        Assert.True(validate.ExitCode == 1, validate.ToString());
        Assert.Contains($"{refused} KollectProfile team-a/secrets: spec.attributes[1].path: Forbidden: reads Secret data ('$.data.password'", validate.StdOut, StringComparison.Ordinal);
        var ok = await KollectBinary.RunAsync("validate", "-f", allowed);
        Assert.True(ok.ExitCode == 0, ok.ToString());

        WriteConfig("team-a", File.ReadAllText(refused));
        WriteObjects("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: unused, namespace: team-a}
            """);
        var export = await _workspace.ExportAsync("--output", "-");
        Assert.True(export.ExitCode == 2, export.ToString());
        Assert.Contains("spec.attributes[1].path: Forbidden: reads Secret data", export.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_export_bytes_limits_the_export_envelope_so_a_limit_met_exactly_is_one_part()
    {
        WriteConfig("team-a", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: values, namespace: team-a}
            spec:
              targetGVK: {group: "", version: v1, kind: ConfigMap}
              attributes:
                - {name: value, path: '$.data.value'}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectTarget
            metadata: {name: t, namespace: team-a}
            spec: {profileRef: values}
            """);
        WriteObjects(string.Join("\n---\n", Enumerable.Range(1, 8).Select(i => $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm-{{i}}, namespace: team-a}
            data: {value: "{{new string('v', 100)}}"}
            """)));
        var first = Assert.Single(await ExportToStdoutAsync());
        using var document = JsonDocument.Parse(first);
        var payloadLength = EnvelopeVerifier.RawPayload(first).Length;
        var exportedAtLength = document.RootElement.GetProperty("payload").GetProperty("exportedAt").GetString()!.Length;
        // exportedAt is 20 to 28 characters long (RFC 3339, 0 to 7 fraction digits after trimming).
        var alwaysFits = payloadLength - exportedAtLength + 28;
        var neverFits = payloadLength - exportedAtLength + 20 - 1;

        WriteInventory("team-a", alwaysFits);
        var fits = await ExportToStdoutAsync();
        var single = Assert.Single(fits);
        Assert.True(EnvelopeVerifier.RawPayload(single).Length <= alwaysFits);
        Assert.True(single.Length > alwaysFits, "the event envelope is larger than maxExportBytes, yet it is one message");
        Assert.DoesNotContain("partIndex", Encoding.UTF8.GetString(single), StringComparison.Ordinal);

        WriteInventory("team-a", neverFits);
        var split = await ExportToStdoutAsync();
        Assert.Equal(2, split.Count);
        Assert.All(split, part => Assert.True(EnvelopeVerifier.RawPayload(part).Length <= neverFits));
    }

    [Fact]
    public async Task An_object_opting_in_is_collected_in_a_namespace_that_opts_out()
    {
        WriteConfig("team-a", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: names, namespace: team-a}
            spec:
              targetGVK: {group: "", version: v1, kind: ConfigMap}
              attributes:
                - {name: name, path: '$.metadata.name'}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectTarget
            metadata: {name: t, namespace: team-a}
            spec: {profileRef: names, includedNamespaces: [closed, annotated]}
            """);
        WriteObjects("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: closed, labels: {kollect.dev/watch: disabled}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: annotated, annotations: {kollect.dev/namespace-watch: disabled}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: opted-in, namespace: closed, labels: {kollect.dev/watch: enabled}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: plain, namespace: closed}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: opted-in, namespace: annotated, labels: {kollect.dev/watch: enabled}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: opted-out, namespace: annotated, labels: {kollect.dev/watch: disabled}}
            """);

        var envelope = Assert.Single(await ExportToStdoutAsync());

        using var document = JsonDocument.Parse(envelope);
        Assert.Equal(
            ["annotated/opted-in", "closed/opted-in"],
            document.RootElement.GetProperty("payload").GetProperty("items").EnumerateArray()
                .Select(i => $"{i.GetProperty("namespace").GetString()}/{i.GetProperty("name").GetString()}"));
    }

    [Fact]
    public async Task The_nats_message_id_hashes_cluster_namespace_and_the_export_envelope()
    {
        WriteConfig("team-a", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: names, namespace: team-a}
            spec:
              targetGVK: {group: "", version: v1, kind: ConfigMap}
              attributes:
                - {name: name, path: '$.metadata.name'}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectTarget
            metadata: {name: t, namespace: team-a}
            spec: {profileRef: names}
            """);
        WriteObjects("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, namespace: team-a}
            """);

        var result = await _workspace.ExportAsync("--output", _workspace.OutputDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
        var body = Directory.GetFiles(_workspace.OutputDirectory, "*.json", SearchOption.AllDirectories).Single(f => !f.EndsWith(".headers.json", StringComparison.Ordinal));
        using var sidecar = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(body, ".headers.json")));
        var payload = EnvelopeVerifier.RawPayload(File.ReadAllBytes(body));
        var expected = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes($"{Cluster}/team-a/"), .. payload]));
        Assert.Equal(expected, sidecar.RootElement.GetProperty("natsMessageId").GetString());
    }

    public void Dispose() => _workspace.Dispose();

    private static string SecretProfile(string path, string annotations = "{}") => $$"""
        apiVersion: kollect.dev/v1alpha1
        kind: KollectProfile
        metadata: {name: secrets, namespace: team-a, annotations: {{annotations}}}
        spec:
          targetGVK: {group: "", version: v1, kind: Secret}
          attributes:
            - {name: labels, path: '$.metadata.labels', optional: true}
            - {name: value, path: '{{path}}'}
        """;

    private static JsonElement GoVector(string folder, string name)
    {
        var file = Path.Combine(ValidationTestFiles.RepositoryRoot, "tests", "compat", "go", folder, "expected.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        return document.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).Clone();
    }

    /// <summary>The Kollect objects of one namespace: <paramref name="kollect"/>, a NATS sink (never dialled with --output) and an inventory.</summary>
    private void WriteConfig(string ns, string kollect)
    {
        ExportWorkspace.Write(_workspace.ConfigDirectory, "kollect.yaml", kollect);
        ExportWorkspace.Write(_workspace.ConfigDirectory, "sink.yaml", $$"""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectEventSink
            metadata: {name: events, namespace: {{ns}}}
            spec:
              type: nats
              cluster: {{Cluster}}
              nats: {url: "nats://nats.example.com:4222", subject: inventory.{{ns}}}
            """);
        WriteInventory(ns, maxExportBytes: null);
    }

    private void WriteInventory(string ns, long? maxExportBytes) =>
        ExportWorkspace.Write(_workspace.ConfigDirectory, "inventory.yaml", $$"""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectInventory
            metadata: {name: inventory, namespace: {{ns}}}
            spec:
              eventSinkRefs:
                - {{(maxExportBytes is { } max ? $"{{name: events, maxExportBytes: {max}}}" : "events")}}
            """);

    private void WriteObjects(string yaml) => ExportWorkspace.Write(_workspace.ObjectsDirectory, "objects.yaml", yaml);

    private async Task<List<byte[]>> ExportToStdoutAsync()
    {
        var result = await _workspace.ExportAsync("--output", "-");
        Assert.True(result.ExitCode == 0, result.ToString());
        return Envelopes(result);
    }

    private static List<byte[]> Envelopes(ProcessResult result) =>
        result.StdOut.Split('\n').Where(l => l.StartsWith('{')).Select(l => Encoding.UTF8.GetBytes(l.TrimEnd('\r'))).ToList();
}
