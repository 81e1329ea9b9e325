using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// Every CRD in <c>crds/</c> must be accepted by kube-apiserver as it is (structural schema, names,
/// version, status subresource, printer columns) and must match SPEC §2's table of kinds. Also checks the
/// generator's well-known-type hints against the schema.
/// </summary>
public sealed class CrdStructuralSchemaTests
{
    private static readonly HashSet<string> ColumnTypes = ["integer", "number", "string", "boolean", "date"];
    private static readonly HashSet<string> Yaml11Booleans = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"];
    private static readonly HashSet<string> ColumnFormats = ["int32", "int64", "float", "double", "byte", "date", "date-time", "password"];

    [Theory]
    [MemberData(nameof(CrdExpectation.Kinds), MemberType = typeof(CrdExpectation))]
    public void Schema_is_structural(string kind)
    {
        var crd = CrdExpectation.For(kind).Load();

        var violations = StructuralSchemaChecker.Check(crd.OpenApiSchema, statusSubresource: true);

        Assert.True(violations.Count == 0, $"{crd.Path}:{Environment.NewLine}" + string.Join(Environment.NewLine, violations));
        Assert.Equal("object", crd.SpecSchema["type"]?.GetValue<string>());
        Assert.Equal("object", crd.StatusSchema["type"]?.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(CrdExpectation.Kinds), MemberType = typeof(CrdExpectation))]
    public void Names_scope_version_and_subresources_follow_the_spec_table(string kind)
    {
        var expected = CrdExpectation.For(kind);
        var crd = expected.Load();
        var names = crd.Names;

        Assert.Equal($"kollect.dev_{expected.Plural}.yaml", Path.GetFileName(crd.Path));
        Assert.Equal("apiextensions.k8s.io/v1", crd.Root["apiVersion"]?.GetValue<string>());
        Assert.Equal("CustomResourceDefinition", crd.Root["kind"]?.GetValue<string>());
        Assert.Equal($"{expected.Plural}.kollect.dev", crd.Root["metadata"]?["name"]?.GetValue<string>());
        Assert.Equal("kollect.dev", crd.Spec["group"]?.GetValue<string>());
        Assert.Equal(expected.Scope, crd.Spec["scope"]?.GetValue<string>());
        Assert.Equal(kind, names["kind"]?.GetValue<string>());
        Assert.Equal(kind + "List", names["listKind"]?.GetValue<string>());
        Assert.Equal(expected.Plural, names["plural"]?.GetValue<string>());
        Assert.Equal(kind.ToLowerInvariant(), names["singular"]?.GetValue<string>());
        Assert.Equal([expected.ShortName], Strings(names["shortNames"]));
        Assert.Equal(["kollect"], Strings(names["categories"]));
        Assert.NotEqual(true, crd.Spec["preserveUnknownFields"]?.GetValue<bool>());

        var version = crd.Version;
        Assert.Equal("v1alpha1", version["name"]?.GetValue<string>());
        Assert.True(version["served"]?.GetValue<bool>());
        Assert.True(version["storage"]?.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["status"] = new JsonObject() }, version["subresources"]), "subresources must be exactly status: {}");
    }

    [Theory]
    [MemberData(nameof(CrdExpectation.Kinds), MemberType = typeof(CrdExpectation))]
    public void Printer_columns_are_valid_and_read_existing_fields(string kind)
    {
        var crd = CrdExpectation.For(kind).Load();
        var columns = crd.Version["additionalPrinterColumns"]?.AsArray().Select(c => c!.AsObject()).ToList() ?? [];

        Assert.NotEmpty(columns);
        Assert.Equal(columns.Count, columns.Select(c => c["name"]?.GetValue<string>()).Distinct().Count());
        Assert.All(columns, column =>
        {
            var name = column["name"]?.GetValue<string>();
            var type = column["type"]?.GetValue<string>();
            var jsonPath = column["jsonPath"]?.GetValue<string>() ?? string.Empty;
            Assert.False(string.IsNullOrWhiteSpace(name), $"{kind}: a printer column has no name");
            Assert.True(type is not null && ColumnTypes.Contains(type), $"{kind} column {name}: type {type} is not a printer column type");
            Assert.True(column["format"] is null || ColumnFormats.Contains(column["format"]!.GetValue<string>()), $"{kind} column {name}: unknown format");

            var (node, problem) = PrinterColumnPath.Resolve(crd.OpenApiSchema, jsonPath);
            Assert.True(node is not null, $"{kind} column {name}: jsonPath {jsonPath} {problem}");
            var schemaType = node!["type"]?.GetValue<string>();
            var compatible = type switch
            {
                "date" => schemaType == "string" && node["format"]?.GetValue<string>() == "date-time",
                "number" => schemaType is "number" or "integer",
                _ => schemaType == type,
            };
            Assert.True(compatible, $"{kind} column {name}: column type {type} does not fit schema type {schemaType} at {jsonPath}");
        });
        Assert.Contains(columns, c => c["name"]?.GetValue<string>() == "Age" && c["jsonPath"]?.GetValue<string>() == ".metadata.creationTimestamp");
    }

    [Theory]
    [InlineData("KollectTarget")]
    [InlineData("KollectClusterTarget")]
    public void Targets_show_collected_updated_and_age_columns(string kind)
    {
        // SPEC §2.4.
        var columns = CrdExpectation.For(kind).Load().Version["additionalPrinterColumns"]!.AsArray()
            .Where(c => c!["priority"] is null)
            .Select(c => (c!["name"]!.GetValue<string>(), c["type"]!.GetValue<string>(), c["jsonPath"]!.GetValue<string>()))
            .ToList();

        Assert.Equal(
            [
                ("Collected", "integer", ".status.collectedCount"),
                ("Updated", "date", ".status.collectedCountUpdatedAt"),
                ("Age", "date", ".metadata.creationTimestamp"),
            ],
            columns);
    }

    [Theory]
    [MemberData(nameof(CrdExpectation.Kinds), MemberType = typeof(CrdExpectation))]
    public void Status_carries_observed_generation_and_map_keyed_conditions(string kind)
    {
        var status = CrdExpectation.For(kind).Load().StatusSchema;
        var conditions = status["properties"]?["conditions"] as JsonObject;

        Assert.Equal("int64", status["properties"]?["observedGeneration"]?["format"]?.GetValue<string>());
        Assert.NotNull(conditions);
        Assert.Equal("map", conditions["x-kubernetes-list-type"]?.GetValue<string>());
        Assert.Equal(["type"], Strings(conditions["x-kubernetes-list-map-keys"]));
        Assert.Equal(["False", "True", "Unknown"], Strings(conditions["items"]?["properties"]?["status"]?["enum"]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CrdExpectation.Kinds), MemberType = typeof(CrdExpectation))]
    public void Well_known_type_hints_are_complete_and_point_at_nodes_of_the_right_shape(string kind)
    {
        var crd = CrdExpectation.For(kind).Load();
        var annotation = crd.Annotation(CrdDocument.WellKnownTypesAnnotation);

        Assert.False(string.IsNullOrEmpty(annotation), $"{crd.Path}: missing the {CrdDocument.WellKnownTypesAnnotation} annotation");
        Assert.DoesNotContain('\n', annotation);
        var hints = WellKnownTypes.Parse(annotation);
        Assert.All(hints, hint =>
        {
            var node = JsonPointer.Resolve(crd.OpenApiSchema, hint.Key) as JsonObject;
            Assert.True(node is not null, $"{kind}: {hint.Key} does not resolve in openAPIV3Schema");
            var problem = WellKnownTypes.ShapeProblem(hint.Key, hint.Value, node!);
            Assert.True(problem is null, $"{kind}: {hint.Key} → {hint.Value}: {problem}");
        });
        Assert.Equal(WellKnownTypes.Find(crd.OpenApiSchema), new SortedDictionary<string, string>(hints, StringComparer.Ordinal));
    }

    [Fact]
    public void Upstream_sample_manifests_validate_against_our_crds()
    {
        var samples = Directory.GetFiles(CrdTestFiles.SamplesDirectory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(samples);
        Assert.All(samples, sample =>
        {
            var manifest = YamlJson.LoadObject(sample);
            var kind = manifest["kind"]!.GetValue<string>();
            var crd = CrdExpectation.For(kind).Load();

            Assert.Equal("kollect.dev/v1alpha1", manifest["apiVersion"]?.GetValue<string>());
            var errors = SchemaValueValidator.Validate(manifest["spec"], crd.SpecSchema);
            Assert.True(errors.Count == 0, $"{sample}:{Environment.NewLine}" + string.Join(Environment.NewLine, errors));
        });
    }

    [Theory]
    [MemberData(nameof(CrdExpectation.Kinds), MemberType = typeof(CrdExpectation))]
    public void Descriptions_are_our_own_words(string kind)
    {
        var ours = Descriptions(CrdExpectation.For(kind).Load().OpenApiSchema).ToList();
        // The vendored golden schemas keep no prose, only the hashes of their normalised descriptions.
        var golden = File.ReadAllLines(CrdTestFiles.GoldenDescriptionHashesPath(kind)).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(golden);

        Assert.NotEmpty(ours);
        Assert.All(ours, description =>
        {
            Assert.DoesNotContain("ADR", description, StringComparison.Ordinal);
            Assert.False(golden.Contains(Sha256Hex(Normalize(description))), $"{kind}: description copied from the golden schema: {description}");
        });
    }

    [Theory]
    [MemberData(nameof(CrdExpectation.Kinds), MemberType = typeof(CrdExpectation))]
    public void Files_read_the_same_under_the_yaml_1_1_rules_kubernetes_uses(string kind)
    {
        // kubectl and the API server read YAML with YAML 1.1 rules, where a plain yes, no, on, off, y or n
        // is a boolean; such a value must be quoted to stay a string.
        var path = CrdTestFiles.CrdPath(CrdExpectation.For(kind).Plural);
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var ambiguous = stream.Documents.SelectMany(d => d.AllNodes).OfType<YamlScalarNode>()
            .Where(s => s.Style == ScalarStyle.Plain && Yaml11Booleans.Contains(s.Value ?? string.Empty))
            .Select(s => $"{s.Value} at {s.Start}")
            .ToList();

        Assert.True(ambiguous.Count == 0, $"{path}: quote these values: " + string.Join(", ", ambiguous));
    }

    private static IEnumerable<string> Descriptions(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "description" && p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? [v.GetValue<string>()]
            : Descriptions(p.Value)),
        JsonArray array => array.SelectMany(Descriptions),
        _ => [],
    };

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static string[] Strings(JsonNode? node) => node?.AsArray().Select(e => e!.GetValue<string>()).ToArray() ?? [];
}
