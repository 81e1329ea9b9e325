using System.Text.Json;
using Kollect.Operator.Manifests;

namespace Kollect.Tests.Unit.Manifests;

public sealed class ManifestReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kollect-manifests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_every_document_of_a_multi_document_file_with_its_position_and_line()
    {
        var result = ManifestReader.ReadText("a.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: one
            ---
            # a comment before the second document
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: two
            """);

        Assert.Empty(result.Errors);
        Assert.Collection(
            result.Documents,
            first =>
            {
                Assert.Equal((1, 2, 1, "one"), (first.Index, first.DocumentsInFile, first.Line, first.Name));
                Assert.Equal("a.yaml:1", first.Location);
            },
            second => Assert.Equal((2, 2, 7, "two"), (second.Index, second.DocumentsInFile, second.Line, second.Name)));
    }

    [Fact]
    public void Skips_empty_and_null_documents_and_numbers_the_rest()
    {
        var result = ManifestReader.ReadText("a.yaml", "---\n---\n# only a comment\n---\n~\n---\nkind: A\n---\n");

        Assert.Empty(result.Errors);
        var document = Assert.Single(result.Documents);
        Assert.Equal((1, 1, 7, "A"), (document.Index, document.DocumentsInFile, document.Line, document.Kind));
        Assert.Equal("a.yaml", document.Location);
    }

    [Fact]
    public void Reads_a_json_object_and_expands_a_json_list_with_item_lines()
    {
        var single = ManifestReader.ReadText("one.json", """{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}}""");
        Assert.Equal("team-a", Assert.Single(single.Documents).Name);

        var list = ManifestReader.ReadText("list.json", """
            {
              "apiVersion": "v1",
              "kind": "List",
              "items": [
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}},
                {
                  "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}
                }
              ]
            }
            """);

        Assert.Empty(list.Errors);
        Assert.Equal(["a", "b"], list.Documents.Select(d => d.Name));
        Assert.Equal([5, 6], list.Documents.Select(d => d.Line));
        Assert.All(list.Documents, d => Assert.Equal(2, d.DocumentsInFile));
        Assert.Null(list.Documents[0].Content.Parent);
    }

    [Fact]
    public void Expands_a_yaml_list_kind()
    {
        var result = ManifestReader.ReadText("list.yaml", """
            apiVersion: v1
            kind: ConfigMapList
            items:
            - kind: ConfigMap
              metadata: {name: p}
            - kind: ConfigMap
              metadata: {name: q}
            """);

        Assert.Equal(["p", "q"], result.Documents.Select(d => d.Name));
        Assert.Equal([4, 6], result.Documents.Select(d => d.Line));
    }

    [Theory]
    [InlineData("a: [1, 2\nb: 3\n", 1)]
    [InlineData("a: 1\nb: c: d\n", 2)]
    [InlineData("a:\n  - 1\n - 2\n", 3)]
    [InlineData("kind: A\n---\na:\n\tb: 1\n", 4)]
    [InlineData("a: 1\nb: 2\na: 3\n", 3)]
    [InlineData("a: *missing\n", 1)]
    [InlineData("a: .inf\n", 1)]
    [InlineData("? [1]\n: x\n", 1)]
    [InlineData("~: x\n", 1)]
    public void A_syntax_error_names_the_file_and_line(string yaml, int line)
    {
        var result = ManifestReader.ReadText("bad.yaml", yaml);

        Assert.Empty(result.Documents);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("bad.yaml", line), (error.File, error.Line));
        Assert.StartsWith($"bad.yaml: line {line}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_is_named()
    {
        var error = Assert.Single(ManifestReader.ReadText("bad.yaml", "metadata:\n  name: a\n  name: b\n").Errors);
        Assert.Contains("name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v: 42", "42")]
    [InlineData("v: -7", "-7")]
    [InlineData("v: +7", "7")]
    [InlineData("v: 1_000", "1000")]
    [InlineData("v: 0x1F", "31")]
    [InlineData("v: 0o17", "15")]
    [InlineData("v: 0755", "493")]
    [InlineData("v: 0b101", "5")]
    [InlineData("v: 9223372036854775807", "9223372036854775807")]
    [InlineData("v: 18446744073709551615", "18446744073709551615")]
    [InlineData("v: 99999999999999999999", "1E+20")]
    [InlineData("v: 08", "8")]
    [InlineData("v: 1.5", "1.5")]
    [InlineData("v: 1e3", "1000")]
    [InlineData("v: .5", "0.5")]
    [InlineData("v: -0.25", "-0.25")]
    [InlineData("v: true", "true")]
    [InlineData("v: False", "false")]
    [InlineData("v: yes", "true")]
    [InlineData("v: off", "false")]
    [InlineData("v: y", "true")]
    [InlineData("v: N", "false")]
    [InlineData("v: ~", "null")]
    [InlineData("v: null", "null")]
    [InlineData("v:", "null")]
    [InlineData("v: NULL", "null")]
    [InlineData("v: '42'", "\"42\"")]
    [InlineData("v: \"true\"", "\"true\"")]
    [InlineData("v: !!str 42", "\"42\"")]
    [InlineData("v: !!float 3", "3")]
    [InlineData("v: !custom 42", "\"42\"")]
    [InlineData("v: 2024-01-01", "\"2024-01-01\"")]
    [InlineData("v: 1.2.3", "\"1.2.3\"")]
    [InlineData("v: 0x", "\"0x\"")]
    [InlineData("v: -x", "\"-x\"")]
    [InlineData("v: .foo", "\".foo\"")]
    [InlineData("v: TRUE1", "\"TRUE1\"")]
    [InlineData("v: 30s", "\"30s\"")]
    [InlineData("v: |\n  line\n", "\"line\\n\"")]
    [InlineData("v: >-\n  folded\n  text\n", "\"folded text\"")]
    [InlineData("v: 'it''s'", "\"it\\u0027s\"")]
    public void Types_scalars_like_kubernetes_sigs_yaml(string yaml, string json)
    {
        var document = Assert.Single(ManifestReader.ReadText("t.yaml", yaml).Documents);

        Assert.Equal(json, document.Content["v"]?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("1: a", "1")]
    [InlineData("on: a", "true")]
    [InlineData("no: a", "false")]
    [InlineData("1.5: a", "1.5")]
    [InlineData("'on': a", "on")]
    public void Turns_non_string_keys_into_strings(string yaml, string key)
    {
        var document = Assert.Single(ManifestReader.ReadText("t.yaml", yaml).Documents);

        Assert.Equal([key], document.Content.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Expands_anchors_aliases_and_merge_keys()
    {
        var document = Assert.Single(ManifestReader.ReadText("t.yaml", """
            base: &base {a: 1, b: 2}
            copy: *base
            merged:
              <<: *base
              b: 3
            """).Documents);

        Assert.Equal("""{"base":{"a":1,"b":2},"copy":{"a":1,"b":2},"merged":{"b":3,"a":1}}""", document.Content.ToJsonString());
    }

    [Fact]
    public void Converts_to_a_json_element_with_integers_kept()
    {
        var document = Assert.Single(ManifestReader.ReadText("t.yaml", "spec: {maxExportBytes: 1048576, ratio: 0.5, on: yes}").Documents);

        var element = ManifestJson.ToElement(document.Content);

        Assert.Equal(1048576, element.GetProperty("spec").GetProperty("maxExportBytes").GetInt64());
        Assert.Equal(JsonValueKind.True, element.GetProperty("spec").GetProperty("true").ValueKind);
    }

    [Fact]
    public void Reads_directories_recursively_in_ordinal_order_and_only_manifest_extensions()
    {
        Write("b.yaml", "kind: B\n");
        Write("a/z.yml", "kind: Z\n");
        Write("A.json", """{"kind": "J"}""");
        Write("notes.txt", "kind: Ignored\n");
        Write("c.YAML", "kind: C\n");

        var result = ManifestReader.Read([_directory]);

        Assert.Empty(result.Errors);
        Assert.Equal(["J", "Z", "B", "C"], result.Documents.Select(d => d.Kind));
    }

    [Fact]
    public void Reports_a_missing_path_and_still_reads_the_others()
    {
        Write("ok.yaml", "kind: A\n");
        Write("bad.yaml", "a: [\n");
        var missing = Path.Combine(_directory, "missing.yaml");

        var result = ManifestReader.Read([missing, Path.Combine(_directory, "ok.yaml"), Path.Combine(_directory, "bad.yaml")]);

        Assert.Equal("A", Assert.Single(result.Documents).Kind);
        Assert.Equal([missing, Path.Combine(_directory, "bad.yaml")], result.Errors.Select(e => e.File));
        Assert.Equal("no such file or directory", result.Errors[0].Message);
    }

    [Fact]
    public void Reads_standard_input_for_a_dash()
    {
        var result = ManifestReader.Read(["-"], new StringReader("kind: FromStdin\n"));

        Assert.Equal("<stdin>", Assert.Single(result.Documents).File);
    }

    [Fact]
    public void Recognises_secrets_and_never_prints_their_content()
    {
        var document = Assert.Single(ManifestReader.ReadText("s.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: creds, namespace: team-a}
            stringData: {password: canary-7f3a}
            """).Documents);

        Assert.True(document.IsSecret);
        Assert.Equal("s.yaml Secret team-a/creds", document.ToString());
        Assert.DoesNotContain("canary", document.ToString(), StringComparison.Ordinal);
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
