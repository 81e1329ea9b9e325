using System.Text.Json;

namespace Kollect.Tests.Unit.Cli;

/// <summary><c>kollect validate</c> run in-process: exit codes and the exact output lines.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private const string KafkaSink = """
        apiVersion: kollect.dev/v1alpha1
        kind: KollectEventSink
        metadata: {name: orders, namespace: team-a}
        spec:
          type: kafka
          kafka: {brokers: ["kafka.example.com:9092"], topic: inventory}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("kollect-validate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Valid_manifests_exit_0_with_a_summary()
    {
        var file = Write("sink.yaml", KafkaSink);

        var (exitCode, stdout, stderr) = CliRunner.Run("validate", "-f", file);

        Assert.Equal(0, exitCode);
        Assert.Equal("1 document, 0 errors, 0 warnings\n", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Errors_exit_1_and_name_file_document_kind_object_path_and_message()
    {
        var file = Write("all.yaml", $$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: kafka-creds, namespace: team-a}
            stringData: {password: canary-9d2e}
            ---
            {{KafkaSink.Replace("topic: inventory", "topic: \"\"", StringComparison.Ordinal)}}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectClusterInventory
            metadata: {name: everything}
            spec:
              namespaceSelector: {}
              eventSinkRefs: [orders]
              snapshotSinkRefs: [git]
            """);

        var (exitCode, stdout, stderr) = CliRunner.Run("validate", "-f", file);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stderr);
        Assert.Equal(
            $"""
            {file}:2 KollectEventSink team-a/orders: spec.kafka.topic: Required value: the Kafka topic that receives snapshot envelopes
            {file}:3 KollectClusterInventory everything: spec.namespaceSelector: Required value: select the namespaces to roll up with matchLabels or matchExpressions; an empty selector is not allowed
            warning: {file}:3 KollectClusterInventory everything: spec.snapshotSinkRefs: not supported by this operator; ignored (only eventSinkRefs and databaseSinkRefs are exported)
            3 documents, 2 errors, 1 warning

            """,
            stdout);
        Assert.DoesNotContain("canary", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_alone_exit_0()
    {
        var file = Write("sink.yaml", KafkaSink + "\n  tls: {insecureSkipVerify: true}\n");

        var (exitCode, stdout, _) = CliRunner.Run("validate", "-f", file);

        Assert.Equal(0, exitCode);
        Assert.StartsWith($"warning: {file} KollectEventSink team-a/orders: spec.tls.insecureSkipVerify: ", stdout, StringComparison.Ordinal);
        Assert.EndsWith("1 document, 0 errors, 1 warning\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_exits_2()
    {
        var missing = Path.Combine(_directory, "missing.yaml");

        var (exitCode, stdout, stderr) = CliRunner.Run("validate", "-f", missing);

        Assert.Equal(2, exitCode);
        Assert.Equal($"{missing}: no such file or directory\n", stderr);
        Assert.Equal("0 documents, 1 error, 0 warnings\n", stdout);
    }

    [Fact]
    public void A_yaml_syntax_error_exits_2_with_the_line_even_when_other_files_have_errors()
    {
        var broken = Write("a-broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: {}\n");
        Write("b-invalid.yaml", KafkaSink.Replace("type: kafka", "type: redis", StringComparison.Ordinal));

        var (exitCode, stdout, stderr) = CliRunner.Run("validate", "-f", _directory);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"{broken}: line 5: YAML syntax error: ", stderr, StringComparison.Ordinal);
        Assert.Contains("spec.type: Unsupported value: \"redis\"", stdout, StringComparison.Ordinal);
        Assert.EndsWith("1 document, 2 errors, 0 warnings\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void No_input_exits_2_with_a_hint()
    {
        var (exitCode, _, stderr) = CliRunner.Run("validate");

        Assert.Equal(2, exitCode);
        Assert.Contains("-f FILE|DIR", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Filename_is_repeatable_and_verbose_lists_valid_and_skipped_documents()
    {
        var sink = Write("sink.yaml", KafkaSink);
        var configMap = Write("cm.json", """{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "team-a"}}""");

        var (exitCode, stdout, _) = CliRunner.Run("validate", "-f", sink, "--filename", configMap, "-v");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            $"""
            {sink} KollectEventSink team-a/orders: valid
            {configMap} ConfigMap team-a/settings: skipped (not a kollect.dev kind)
            2 documents, 0 errors, 0 warnings

            """,
            stdout);
    }

    [Fact]
    public void Max_export_bytes_sets_the_operator_cap()
    {
        var file = Write("inventory.yaml", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectInventory
            metadata: {name: inv, namespace: team-a}
            spec:
              maxExportBytes: 2000000
              eventSinkRefs: [orders]
            """);

        Assert.Equal(1, CliRunner.Run("validate", "-f", file).ExitCode);
        Assert.Equal(0, CliRunner.Run("validate", "-f", file, "--max-export-bytes", "4194304").ExitCode);
    }

    [Fact]
    public void Json_output_is_machine_readable()
    {
        var file = Write("sink.yaml", KafkaSink.Replace("inventory}", "\"inventory/x\"}", StringComparison.Ordinal));

        var (exitCode, stdout, _) = CliRunner.Run("validate", "-f", file, "-o", "json");

        Assert.Equal(1, exitCode);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal((1, 1, 0), (root.GetProperty("documents").GetInt32(), root.GetProperty("errors").GetInt32(), root.GetProperty("warnings").GetInt32()));
        var problem = Assert.Single(root.GetProperty("problems").EnumerateArray().ToList());
        Assert.Equal("error", problem.GetProperty("severity").GetString());
        Assert.Equal(file, problem.GetProperty("file").GetString());
        Assert.Equal(1, problem.GetProperty("line").GetInt32());
        Assert.Equal("KollectEventSink", problem.GetProperty("kind").GetString());
        Assert.Equal("spec.kafka.topic", problem.GetProperty("path").GetString());
        Assert.StartsWith("Invalid value: \"inventory/x\"", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_option_has_help_text()
    {
        var (exitCode, stdout, _) = CliRunner.Run("validate", "--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "-f, --filename", "--max-export-bytes", "-o, --output", "-v, --verbose" })
        {
            var line = stdout.Split('\n').Single(l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
            Assert.True(line.Trim().Length > option.Length + 20, line);
        }
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
