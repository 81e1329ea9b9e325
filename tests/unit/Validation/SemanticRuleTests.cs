using Kollect.Operator.Manifests;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Tests.Unit.Validation;

/// <summary>Semantic rules beyond the invalid-manifest table: what is accepted, warnings, and the pluggable rules.</summary>
public sealed class SemanticRuleTests
{
    private const string KafkaSink = """
        apiVersion: kollect.dev/v1alpha1
        kind: KollectEventSink
        metadata: {name: orders, namespace: team-a}
        spec:
          type: kafka
          kafka: {brokers: ["kafka.example.com:9092", "[fd00::1]:9093"], topic: inventory.changes}

        """;

    private const string NatsSink = """
        apiVersion: kollect.dev/v1alpha1
        kind: KollectEventSink
        metadata: {name: events, namespace: team-a}
        spec:
          type: nats
          nats: {url: "tls://nats.example.com", subject: inventory.events}

        """;

    [Fact]
    public void A_well_formed_kafka_sink_has_no_problems() => Assert.Empty(Validate(KafkaSink));

    [Fact]
    public void Kafka_brokers_fall_back_to_a_comma_separated_endpoint()
    {
        var sink = """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectEventSink
            metadata: {name: orders, namespace: team-a}
            spec:
              type: kafka
              endpoint: "a.example.com:9092, b.example.com:9092"
              kafka: {topic: inventory}
            """;

        Assert.Empty(Validate(sink));
    }

    [Fact]
    public void A_nats_sink_with_a_tls_url_and_default_port_has_no_problems() => Assert.Empty(Validate(NatsSink));

    [Theory]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("500ms")]
    [InlineData("1h30m")]
    [InlineData("1.5h")]
    [InlineData("24h")]
    public void Intervals_from_zero_to_a_day_are_accepted(string interval) =>
        Assert.Empty(Validate(KafkaSink + $"  exportMinInterval: \"{interval}\"\n"));

    [Fact]
    public void Risky_or_ignored_sink_settings_are_warnings()
    {
        var sink = NatsSink.Replace("subject: inventory.events}", "subject: inventory.events, stream: kollect.events}", StringComparison.Ordinal) + """
              tls: {insecureSkipVerify: true}
              secretRef: {name: nats-creds, namespace: kollect-system}
              serialization: {format: json, compression: gzip}
              layout: {mode: document}

            """;

        var problems = Validate(sink);

        Assert.All(problems, p => Assert.Equal(ValidationSeverity.Warning, p.Severity));
        Assert.Equal(
            ["spec.layout", "spec.nats.stream", "spec.secretRef.namespace", "spec.serialization.compression", "spec.tls.insecureSkipVerify"],
            problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Contains("kollect_events", problems.Single(p => p.Path == "spec.nats.stream").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_pem_ca_bundle_is_accepted()
    {
        var pem = Convert.ToBase64String("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"u8);

        Assert.Empty(Validate(KafkaSink + $"  tls: {{caBundle: {pem}}}\n"));
    }

    [Fact]
    public void Cluster_inventory_refs_may_name_a_namespace_and_the_same_name_in_two_namespaces()
    {
        var inventory = """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectClusterInventory
            metadata: {name: all-teams}
            spec:
              namespaceSelector:
                matchExpressions: [{key: team, operator: Exists}]
              eventSinkRefs:
                - orders
                - {name: orders, namespace: team-b, maxExportBytes: 1048576, exportMinInterval: 0s}
            """;

        Assert.Empty(Validate(inventory));
    }

    [Fact]
    public void The_same_ref_twice_in_the_default_sink_namespace_is_a_duplicate_on_a_cluster_inventory()
    {
        var inventory = """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectClusterInventory
            metadata: {name: all-teams}
            spec:
              namespaceSelector: {matchLabels: {team: a}}
              eventSinkRefs: [orders, {name: orders, namespace: kollect-system}]
            """;

        var problem = Assert.Single(Validate(inventory));
        Assert.Equal("spec.eventSinkRefs[1].name: Duplicate value: \"orders\"", problem.ToString());
    }

    [Fact]
    public void The_export_size_cap_is_a_parameter()
    {
        var inventory = """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectInventory
            metadata: {name: inv, namespace: team-a}
            spec:
              maxExportBytes: 4096
              eventSinkRefs: [orders]
            """;

        Assert.Empty(Validate(inventory));
        var problem = Assert.Single(Validate(inventory, new SemanticValidationOptions { MaxExportBytes = 1024 }));
        Assert.Equal("spec.maxExportBytes: Invalid value: 4096: must be at most the operator's cap of 1024 bytes (--max-export-bytes)", problem.ToString());
    }

    [Fact]
    public void A_cluster_scoped_object_with_a_namespace_gets_a_warning()
    {
        var target = """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectClusterTarget
            metadata: {name: web, namespace: team-a}
            spec:
              profileRef: {name: images, namespace: platform}
              namespaceSelector: {matchLabels: {team: a}}
            """;

        var problem = Assert.Single(Validate(target));
        Assert.Equal((ValidationSeverity.Warning, "metadata.namespace"), (problem.Severity, problem.Path));
    }

    [Fact]
    public void Attribute_paths_are_checked_by_the_plugged_in_path_parser()
    {
        var profile = """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: images, namespace: team-a}
            spec:
              targetGVK: {group: apps, version: v1, kind: Deployment}
              attributes:
                - {name: ok, path: "$.metadata.name"}
                - {name: bad, path: "$.spec..image"}
            """;
        var rule = new AttributePathRule(path => path.Contains("..", StringComparison.Ordinal) ? "recursive descent is not supported" : null);

        var problem = Assert.Single(Validate(profile, SemanticValidationOptions.Default, rule));

        Assert.Equal("spec.attributes[1].path: Invalid value: \"$.spec..image\": recursive descent is not supported", problem.ToString());
    }

    [Fact]
    public void The_endpoint_guard_sees_every_resolved_endpoint_with_its_field_path()
    {
        var seen = new List<SinkEndpoint>();
        var rule = new SinkEndpointRule(endpoint =>
        {
            seen.Add(endpoint);
            return endpoint.Host == "fd00::1" ? "private addresses need --allow-private-sinks" : null;
        });

        var problem = Assert.Single(Validate(KafkaSink, SemanticValidationOptions.Default, rule));

        Assert.Equal(
            [
                new SinkEndpoint("spec.kafka.brokers[0]", "kafka.example.com:9092", "kafka.example.com", 9092),
                new SinkEndpoint("spec.kafka.brokers[1]", "[fd00::1]:9093", "fd00::1", 9093),
            ],
            seen);
        Assert.Equal("spec.kafka.brokers[1]: Forbidden: fd00::1: private addresses need --allow-private-sinks", problem.ToString());
    }

    [Fact]
    public void The_endpoint_guard_gets_the_nats_url_with_the_default_port()
    {
        SinkEndpoint? seen = null;
        var rule = new SinkEndpointRule(endpoint =>
        {
            seen = endpoint;
            return null;
        });

        Assert.Empty(Validate(NatsSink, SemanticValidationOptions.Default, rule));
        Assert.Equal(new SinkEndpoint("spec.nats.url", "tls://nats.example.com", "nats.example.com", 4222), seen);
    }

    [Theory]
    [InlineData("app", null)]
    [InlineData("app.kubernetes.io/name", null)]
    [InlineData("example.com/a_b-c.d", null)]
    [InlineData("/name", "prefix")]
    [InlineData("Example.com/name", "prefix")]
    [InlineData("a/", "name part")]
    [InlineData("-app", "name part")]
    public void Label_keys_follow_kubernetes_qualified_name_rules(string key, string? problem)
    {
        var actual = KubernetesNames.CheckQualifiedName(key);

        if (problem is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(problem, actual, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("kollect-system", true, true)]
    [InlineData("a.b", false, true)]
    [InlineData("A", false, false)]
    [InlineData("-a", false, false)]
    [InlineData("", false, false)]
    public void Dns1123_names(string name, bool label, bool subdomain)
    {
        Assert.Equal(label, KubernetesNames.IsDns1123Label(name));
        Assert.Equal(subdomain, KubernetesNames.IsDns1123Subdomain(name));
    }

    [Theory]
    [InlineData("""{group: "", version: v1, kind: Secret}""", "{}", "$.metadata.labels")]
    [InlineData("""{group: "", version: v1, kind: Secret}""", "{}", "$.type")]
    [InlineData("""{group: "", version: v1, kind: Secret}""", "{}", "cel:object.metadata.annotations")]
    [InlineData("""{group: "", version: v1, kind: Secret}""", "{}", "cel:object['metadata'].name")]
    [InlineData("""{group: "", version: v1, kind: Secret}""", """{"kollect.dev/allow-secret-extraction": "true"}""", "$.data.password")]
    [InlineData("""{group: "", version: v1, kind: Secret}""", """{"kollect.dev/allow-secret-extraction": "true"}""", "cel:object.stringData")]
    [InlineData("""{group: "", version: v1, kind: ConfigMap}""", "{}", "$.data")]
    [InlineData("""{group: example.com, version: v1, kind: Secret}""", "{}", "$.data")]
    public void Secret_profiles_reading_only_metadata_or_annotated_are_valid(string gvk, string annotations, string path)
    {
        var profile = $$"""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: secrets, namespace: team-a, annotations: {{annotations}}}
            spec:
              targetGVK: {{gvk}}
              attributes:
                - {name: value, path: "{{path}}"}

            """;
        Assert.Empty(Validate(profile));
    }

    [Fact]
    public void The_secret_data_guard_names_the_field_path_and_the_annotation()
    {
        var profile = """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: secrets, namespace: team-a}
            spec:
              targetGVK: {version: v1, kind: Secret}
              attributes:
                - {name: type, path: "$.type"}
                - {name: value, path: "$.data.password"}

            """;
        var problem = Assert.Single(Validate(profile));
        Assert.Equal(ValidationSeverity.Error, problem.Severity);
        Assert.Equal("spec.attributes[1].path", problem.Path);
        Assert.Equal(
            """Forbidden: reads Secret data ('$.data.password' can return data or stringData); read only metadata (labels, annotations, type), or annotate the KollectProfile kollect.dev/allow-secret-extraction: "true" to extract Secret values on purpose""",
            problem.Message);
    }

    private static List<ValidationProblem> Validate(string yaml, SemanticValidationOptions? options = null, params ISemanticRule[] extraRules)
    {
        var read = ManifestReader.ReadText("test.yaml", yaml);
        Assert.Empty(read.Errors);
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Create(extraRules), options ?? SemanticValidationOptions.Default));
        return validator.Validate(Assert.Single(read.Documents)).Problems.ToList();
    }
}
