using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Testing.KubeApiServer;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Export;

/// <summary>
/// <c>kollect export</c> (SPEC §8, issue #6 §4 and "Done when"): the AOT binary loads manifests
/// from disk, publishes to a real nats-server (user and password from a Secret manifest) and the Kafka mock,
/// and an independent consumer verifies every message. Exit codes: 0 success, 1 partial failure,
/// 2 bad configuration.
/// </summary>
[Collection(LocalModeCollection.Name)]
public sealed class ExportCommandTests : IDisposable
{
    private static readonly Dictionary<string, string> Values = new() { ["alpha"] = "one", ["beta"] = "<b>café & ✓</b>" };

    private readonly ExportWorkspace _workspace = new();
    private readonly KafkaMockCluster _kafka = new();
    private readonly NatsServerProcess _nats;

    public ExportCommandTests()
    {
        _kafka.CreateTopic(ExportWorkspace.Topic, partitions: 3);
        _nats = NatsServerProcess.Start(WriteNatsConfig);
        _workspace.WriteConfig(_kafka.Bootstrap, _nats.Url);
        _workspace.WriteObjects();
    }

    [Fact]
    public async Task Publishes_one_verified_message_per_sink_with_secrets_scrubbed()
    {
        var result = await _workspace.ExportAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 0, $"expected exit 0:\n{result}");
        var summary = result.StdOut + result.StdErr;
        foreach (var expected in new[] { ExportWorkspace.InventoryHeader, "kafka-sink", "nats-sink" })
        {
            Assert.True(summary.Contains(expected, StringComparison.Ordinal), $"the summary does not name {expected}:\n{result}");
        }
        var kafka = await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic);
        var nats = NatsStreamReader.Read(_nats.Port, ExportWorkspace.NatsStream);
        var envelopes = new[] { Assert.Single(kafka), Assert.Single(nats) }.Select(m => EnvelopeVerifier.Verify(m, ExportWorkspace.InventoryHeader)).ToList();
        foreach (var envelope in envelopes)
        {
            Assert.False(Encoding.UTF8.GetString(envelope.Message.Body).Contains(ExportWorkspace.Canary, StringComparison.Ordinal), $"{envelope} carries the secret value");
            AssertRows(envelope);
        }
        Assert.Equal(envelopes[0].Checksum, envelopes[1].Checksum);
    }

    [Fact]
    public async Task Objects_listed_once_from_a_cluster_are_published_like_objects_from_disk()
    {
        await using var server = await KubeApiServerHost.StartAsync(new KubeApiServerOptions());
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var kube = new KubeResources(http);
        await kube.CreateAsync(Manifests.Namespace(ExportWorkspace.Namespace));
        var uids = new Dictionary<string, string>();
        foreach (var (name, data, collected) in new (string, Dictionary<string, string>, bool)[]
        {
            ("alpha", new() { ["value"] = Values["alpha"] }, true),
            ("beta", new() { ["value"] = Values["beta"] }, true),
            ("creds", new() { ["password"] = ExportWorkspace.Canary }, true),
            ("ignored", new() { ["value"] = "not selected" }, false),
        })
        {
            var created = await kube.CreateAsync(Manifests.ConfigMap(ExportWorkspace.Namespace, name, data, collected));
            uids[name] = (string)created["metadata"]!["uid"]!;
        }
        var kubeconfig = Path.Combine(_workspace.Directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.KubeconfigYaml());

        var result = await KollectBinary.RunAsync("export", "--config", _workspace.ConfigDirectory, "--kubeconfig", kubeconfig, "--allow-loopback-sinks");

        Assert.False((result.StdOut + result.StdErr).Contains(ExportWorkspace.Canary, StringComparison.Ordinal), $"kollect export printed a secret value:\n{result}");
        Assert.True(result.ExitCode == 0, $"expected exit 0:\n{result}");
        var kafka = await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic);
        var nats = NatsStreamReader.Read(_nats.Port, ExportWorkspace.NatsStream);
        foreach (var message in new[] { Assert.Single(kafka), Assert.Single(nats) })
        {
            var envelope = EnvelopeVerifier.Verify(message, ExportWorkspace.InventoryHeader);
            AssertRows(envelope, uids["creds"]);
            Assert.Equal(uids["alpha"], (string?)envelope.Item(ExportWorkspace.Namespace, "alpha")["uid"]);
        }
    }

    [Fact]
    public async Task Output_dash_prints_verifiable_envelopes_and_publishes_nothing()
    {
        var result = await _workspace.ExportAsync("--allow-loopback-sinks", "--output", "-");

        Assert.True(result.ExitCode == 0, $"expected exit 0:\n{result}");
        var printed = result.StdOut.Split('\n').Where(l => l.StartsWith('{')).ToList();
        Assert.True(printed.Count >= 1, $"no JSON envelope on stdout:\n{result}");
        foreach (var line in printed)
        {
            AssertChecksum(Encoding.UTF8.GetBytes(line.TrimEnd('\r')), $"stdout line {line}");
        }
        Assert.Empty(await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic));
        Assert.Empty(NatsStreamReader.Read(_nats.Port, ExportWorkspace.NatsStream));
    }

    [Fact]
    public async Task Output_directory_holds_verifiable_envelopes()
    {
        var result = await _workspace.ExportAsync("--allow-loopback-sinks", "--output", _workspace.OutputDirectory);

        Assert.True(result.ExitCode == 0, $"expected exit 0:\n{result}");
        var files = Directory.Exists(_workspace.OutputDirectory) ? Directory.GetFiles(_workspace.OutputDirectory, "*", SearchOption.AllDirectories) : [];
        var envelopes = files.Where(f => !f.EndsWith(".headers.json", StringComparison.Ordinal)).ToList();
        Assert.True(envelopes.Count >= 2, $"expected an envelope file per sink under {_workspace.OutputDirectory}, found [{string.Join(", ", files)}]:\n{result}");
        Assert.Empty(await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic));
        foreach (var file in files)
        {
            Assert.DoesNotContain(ExportWorkspace.Canary, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
        foreach (var file in envelopes)
        {
            var body = await File.ReadAllBytesAsync(file);
            AssertChecksum(body, file);
            var sidecar = Path.ChangeExtension(file, ".headers.json");
            if (File.Exists(sidecar))
            {
                // {"key":…,"natsMessageId":…,"headers":{…}}: what each broker would have carried, checked like a broker read.
                var meta = JsonNode.Parse(await File.ReadAllTextAsync(sidecar))!.AsObject();
                var headers = meta["headers"]!.AsObject().Select(h => new KeyValuePair<string, string>(h.Key, (string)h.Value!)).ToList();
                AssertRows(EnvelopeVerifier.Verify(new PublishedMessage(Broker.Kafka, file, (string?)meta["key"], headers, body), ExportWorkspace.InventoryHeader));
                EnvelopeVerifier.Verify(new PublishedMessage(Broker.Nats, file, null, [.. headers, new("Nats-Msg-Id", (string)meta["natsMessageId"]!)], body), ExportWorkspace.InventoryHeader);
            }
        }
    }

    [Fact]
    public async Task Invalid_configuration_exits_2_and_names_the_field()
    {
        _workspace.WriteKafkaSink(_kafka.Bootstrap, topicLine: "partitions: 3");

        var result = await _workspace.ExportAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 2, $"expected exit 2 (bad configuration):\n{result}");
        var output = result.StdOut + result.StdErr;
        Assert.True(output.Contains("team-a/kafka-sink", StringComparison.Ordinal) && output.Contains("topic", StringComparison.Ordinal),
            $"the error should name KollectEventSink team-a/kafka-sink and its missing topic:\n{result}");
        Assert.Empty(await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic));
    }

    [Fact]
    public async Task Loopback_sinks_without_the_flag_are_bad_configuration()
    {
        var result = await _workspace.ExportAsync();

        Assert.True(result.ExitCode == 2, $"expected exit 2: loopback sinks need --allow-loopback-sinks (SPEC §6.5):\n{result}");
        Assert.Empty(await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic));
    }

    [Fact]
    public async Task One_sink_down_exits_1_and_the_other_sink_still_receives_its_message()
    {
        _nats.Kill();

        var result = await _workspace.ExportAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, $"expected exit 1 (partial failure):\n{result}");
        Assert.True((result.StdOut + result.StdErr).Contains("nats-sink", StringComparison.Ordinal), $"the summary should name the failed nats-sink:\n{result}");
        var kafka = await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic);
        AssertRows(EnvelopeVerifier.Verify(Assert.Single(kafka), ExportWorkspace.InventoryHeader));
    }

    /// <summary>
    /// The sink must log in as <c>kollect</c> with the canary password from its Secret manifest.
    /// The tests' reader connects without credentials and becomes <c>reader</c> (<c>no_auth_user</c>),
    /// which may not publish to the sink's subject, so a sink that ignored its Secret would fail.
    /// </summary>
    internal static string WriteNatsConfig(string directory)
    {
        var path = Path.Combine(directory, "nats.conf");
        File.WriteAllText(path, $$"""
            authorization {
              users = [
                { user: "kollect", password: "{{ExportWorkspace.Canary}}" }
                { user: "reader", password: "reader-only", permissions: { publish: { deny: ["{{ExportWorkspace.NatsSubject}}"] } } }
              ]
            }
            no_auth_user: "reader"
            """ + "\n");
        return path;
    }

    public void Dispose()
    {
        _nats.Dispose();
        _kafka.Dispose();
        _workspace.Dispose();
    }

    /// <summary>The rows of the labelled ConfigMaps: values as written, the password scrubbed (SPEC §3), the unlabelled one absent.</summary>
    private static void AssertRows(VerifiedEnvelope envelope, string credsUid = "00000000-0000-0000-0000-00000000000c")
    {
        Assert.Equal(ExportWorkspace.Cluster, envelope.Cluster);
        Assert.Equal(ExportWorkspace.Namespace, envelope.Namespace);
        Assert.Equal(["team-a/alpha", "team-a/beta", "team-a/creds"], envelope.ItemNames);
        foreach (var (name, value) in Values)
        {
            Assert.Equal(value, (string?)envelope.Item("team-a", name)["attributes"]!["value"]);
        }
        var creds = envelope.Item("team-a", "creds");
        Assert.Equal(credsUid, (string?)creds["uid"]);
        var password = creds["attributes"]?["data"]?["password"];
        Assert.True(JsonNode.DeepEquals(password, JsonNode.Parse("""{"redacted":true,"reason":"sensitive-key"}""")),
            $"{envelope}: data.password should be the redaction marker, is {password?.ToJsonString()}");
    }

    /// <summary>An event envelope (payload.items) or an export envelope (items): its checksum must be the SHA-256 of its raw items bytes.</summary>
    private static void AssertChecksum(byte[] json, string where)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var export = root.TryGetProperty("payload", out var payload) ? payload : root;
        Assert.True(export.TryGetProperty("checksum", out var checksum) && export.TryGetProperty("items", out _), $"{where}: not an envelope with checksum and items");
        var items = EnvelopeVerifier.RawItems(json, itemsDepth: root.TryGetProperty("payload", out _) ? 2 : 1);
        Assert.Equal(checksum.GetString(), Convert.ToHexStringLower(SHA256.HashData(items)));
        Assert.False(Encoding.UTF8.GetString(json).Contains(ExportWorkspace.Canary, StringComparison.Ordinal), $"{where} carries the secret value");
    }
}
