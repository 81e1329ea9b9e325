using Kollect.Api;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// The generated validators reject what kube-apiserver would reject, with its message shapes and
/// field paths (SPEC §2).
/// </summary>
public sealed class ValidationTests
{
    private const string Sink = """
        apiVersion: kollect.dev/v1alpha1
        kind: KollectEventSink
        metadata:
          name: sink
          namespace: team
          managedFields: [{manager: kubectl}]
          resourceVersion: "12"
        spec:
        """;

    private static List<string> SinkErrors(string spec) => ManifestTestSupport.Messages(Sink + "\n" + spec);

    [Fact]
    public void A_valid_sink_has_no_errors_and_metadata_owned_by_kubernetes_is_allowed()
    {
        Assert.Empty(SinkErrors("  type: kafka\n  kafka:\n    brokers: [a:9092]\n    topic: t\n  options:\n    acks: all\n"));
    }

    [Fact]
    public void Enum_values_are_checked()
    {
        var error = Assert.Single(SinkErrors("  type: redis\n"));
        Assert.Equal("spec.type: Unsupported value: \"redis\": supported values: \"nats\", \"kafka\"", error);
    }

    [Fact]
    public void Required_fields_are_checked_at_every_level()
    {
        Assert.Equal(["spec.type: Required value"], SinkErrors("  cluster: c\n"));
        Assert.Equal(["spec.kafka.topic: Required value"], SinkErrors("  type: kafka\n  kafka:\n    brokers: [a:9092]\n"));
    }

    [Fact]
    public void Unknown_fields_are_rejected_with_their_path()
    {
        Assert.Equal(
            ["spec.kafka.partitions: field not declared in schema", "spec.colour: field not declared in schema"],
            SinkErrors("  type: kafka\n  kafka:\n    topic: t\n    partitions: 3\n  colour: blue\n"));
    }

    [Fact]
    public void Types_are_checked()
    {
        Assert.Equal(
            ["spec.kafka.topic: Invalid value: \"integer\": spec.kafka.topic in body must be of type string"],
            SinkErrors("  type: kafka\n  kafka:\n    topic: 42\n"));
        Assert.Equal(
            ["spec.options[retries]: Invalid value: \"boolean\": spec.options[retries] in body must be of type string"],
            SinkErrors("  type: kafka\n  kafka:\n    topic: t\n  options:\n    retries: true\n"));
    }

    [Fact]
    public void Apiversion_kind_and_name_are_checked()
    {
        var errors = ManifestTestSupport.Validate(ManifestTestSupport.Parse("apiVersion: kollect.dev/v1alpha1\nkind: KollectEventSink\nspec:\n  type: nats\n"));
        Assert.Equal(["metadata.name: Required value: name or generateName is required"], errors.Select(e => e.ToString()));

        var wrongKind = new List<FieldError>();
        using var document = System.Text.Json.JsonDocument.Parse("""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectTarget","metadata":{"name":"x"}}""");
        KollectKinds.Find("kollect.dev/v1alpha1", "KollectEventSink")!.Validate(document.RootElement, wrongKind);
        Assert.Equal(["kind: Unsupported value: \"KollectTarget\": supported values: \"KollectEventSink\""], wrongKind.Select(e => e.ToString()));
    }

    [Fact]
    public void Minimum_pattern_length_and_set_uniqueness_are_checked()
    {
        var errors = ManifestTestSupport.Messages("""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectClusterInventory
            metadata:
              name: all
            spec:
              namespaceSelector: {}
              namespaces: [team-a, Team_B, team-a, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]
            """);

        Assert.Contains("spec.namespaces[2]: Duplicate value: \"team-a\"", errors);
        Assert.Contains("spec.namespaces[1]: Invalid value: \"Team_B\": spec.namespaces[1] in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'", errors);
        Assert.Contains("spec.namespaces[3]: Too long: may not be more than 63 bytes", errors);

        var ttl = ManifestTestSupport.Messages("apiVersion: kollect.dev/v1alpha1\nkind: KollectConnectionTest\nmetadata:\n  name: t\nspec:\n  sinkRef: {eventSinkRef: s}\n  ttlSecondsAfterFinished: -1\n");
        Assert.Contains("spec.ttlSecondsAfterFinished: Invalid value: -1: spec.ttlSecondsAfterFinished in body should be greater than or equal to 0", ttl);
    }

    [Fact]
    public void List_map_keys_must_be_unique()
    {
        var errors = ManifestTestSupport.Messages("""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata:
              name: p
            spec:
              targetGVK: {group: apps, version: v1, kind: Deployment}
              attributes:
              - {name: image, path: .spec.image}
              - {name: image, path: .spec.other}
            """);

        Assert.Equal(["spec.attributes[1]: Duplicate value: {\"name\":\"image\"}"], errors);
    }

    [Fact]
    public void Sink_references_accept_both_forms_and_nothing_else()
    {
        var errors = ManifestTestSupport.Messages("""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectInventory
            metadata:
              name: inv
            spec:
              eventSinkRefs:
              - plain
              - {name: full, exportMinInterval: 1m, maxExportBytes: 1024}
              - 5
              - {exportMinInterval: soon, colour: red}
              exportMinInterval: often
            """);

        Assert.Equal(
            [
                "spec.eventSinkRefs[2]: Invalid value: \"integer\": spec.eventSinkRefs[2] in body must be of type string or object",
                "spec.eventSinkRefs[3].exportMinInterval: Invalid value: \"soon\": spec.eventSinkRefs[3].exportMinInterval in body must be a duration such as \"30s\", \"1m30s\" or \"1h\"",
                "spec.eventSinkRefs[3].colour: field not declared in schema",
                "spec.eventSinkRefs[3].name: Required value",
                "spec.exportMinInterval: Invalid value: \"often\": spec.exportMinInterval in body must be a duration such as \"30s\", \"1m30s\" or \"1h\"",
            ],
            errors);
    }
}
