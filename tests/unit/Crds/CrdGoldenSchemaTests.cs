using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// Holds each CRD's <c>.spec</c> schema to the original's golden schema (SPEC §2: field names, types and
/// nesting follow the golden files), apart from the deliberate differences in <see cref="GoldenAllowList"/>.
/// </summary>
public sealed class CrdGoldenSchemaTests
{
    [Theory]
    [MemberData(nameof(CrdExpectation.Kinds), MemberType = typeof(CrdExpectation))]
    public void Spec_schema_matches_the_golden_schema_except_for_allowed_differences(string kind)
    {
        var crd = CrdExpectation.For(kind).Load();
        var golden = YamlJson.LoadObject(CrdTestFiles.GoldenPath(kind));

        var differences = SchemaComparer.Compare(crd.SpecSchema, golden);
        var comparison = GoldenComparison.Evaluate(kind, differences, GoldenAllowList.Entries);

        Assert.True(comparison.IsClean, comparison.Describe(kind));
    }

    [Fact]
    public void Every_allow_list_entry_names_a_kind_in_scope_and_gives_a_reason()
    {
        var kinds = CrdExpectation.All.Select(e => e.Kind).ToHashSet();
        Assert.All(GoldenAllowList.Entries, entry =>
        {
            Assert.Contains(entry.Kind, kinds);
            Assert.Contains("SPEC §", entry.Reason, StringComparison.Ordinal);
            Assert.True(entry.Keyword != AllowedDifference.AnyKeyword || entry.Change == SchemaChange.Replaced, $"{entry}: '*' needs Replaced.");
        });
    }

    [Fact]
    public void Every_golden_kind_in_scope_has_a_crd_and_only_KollectScope_is_left_out()
    {
        // KollectScope is not one of the kinds in SPEC §2's table, so it has no CRD here.
        const string outOfScope = "kollectscope";
        var goldenKinds = Directory.GetFiles(CrdTestFiles.GoldenDirectory, "*.spec.openapi.yaml")
            .Select(f => Path.GetFileName(f)[..^".spec.openapi.yaml".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
        var crdKinds = Directory.GetFiles(CrdTestFiles.CrdDirectory, "*.yaml")
            .Select(f => new CrdDocument(f, YamlJson.LoadObject(f)).Names["kind"]!.GetValue<string>().ToLowerInvariant())
            .ToHashSet();

        Assert.Contains(outOfScope, goldenKinds);
        Assert.Equal(9, goldenKinds.Count);
        var missing = goldenKinds.Where(k => k != outOfScope && !crdKinds.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "Golden kinds without a CRD in crds/: " + string.Join(", ", missing));
        Assert.DoesNotContain(outOfScope, crdKinds);
        Assert.Equal(CrdExpectation.All.Select(e => e.Kind.ToLowerInvariant()).Order(StringComparer.Ordinal), crdKinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Comparer_ignores_descriptions_and_the_order_of_required()
    {
        var ours = Schema("""{"type":"object","description":"ours","required":["b","a"],"properties":{"a":{"type":"string","description":"x"},"b":{"type":"string"}}}""");
        var golden = Schema("""{"type":"object","description":"theirs","required":["a","b"],"properties":{"a":{"type":"string","description":"y"},"b":{"type":"string"}}}""");

        Assert.Empty(SchemaComparer.Compare(ours, golden));
    }

    [Fact]
    public void Comparer_reports_each_kind_of_difference_with_its_path()
    {
        var ours = Schema("""
            {"type":"object","properties":{
              "a":{"type":"integer","format":"int64"},
              "b":{"type":"array","items":{"type":"string","maxLength":5},"x-kubernetes-list-type":"set"},
              "c":{"type":"string","enum":["x","y"],"default":"x"},
              "m":{"type":"object","additionalProperties":{"type":"integer"}},
              "new":{"type":"string"}}}
            """);
        var golden = Schema("""
            {"type":"object","required":["a"],"properties":{
              "a":{"type":"integer","format":"int32"},
              "b":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"atomic"},
              "c":{"type":"string","enum":["y","x"]},
              "m":{"type":"object","additionalProperties":{"type":"string"}},
              "old":{"type":"string"}}}
            """);

        var found = SchemaComparer.Compare(ours, golden).Select(d => $"{d.Pointer} {d.Keyword} {d.Change}").ToList();

        Assert.Equal(
            [
                "/properties/a format Changed",
                "/properties/b/items maxLength Added",
                "/properties/b x-kubernetes-list-type Changed",
                "/properties/c default Added",
                "/properties/c enum Changed",
                "/properties/m/additionalProperties type Changed",
                "/properties/new $node Added",
                "/properties/old $node Removed",
                " required Removed",
            ],
            found);
    }

    [Fact]
    public void Evaluation_flags_unexpected_differences_and_stale_allow_list_entries()
    {
        var ours = Schema("""{"type":"object","properties":{"a":{"type":"string","default":"d"},"refs":{"type":"array","items":{"x-kubernetes-preserve-unknown-fields":true}}}}""");
        var golden = Schema("""{"type":"object","properties":{"a":{"type":"integer"},"refs":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}}}}""");
        AllowedDifference[] allowList =
        [
            new("K", "/properties/a", "default", SchemaChange.Added, "SPEC §0: test"),
            new("K", "/properties/refs/items", AllowedDifference.AnyKeyword, SchemaChange.Replaced, "SPEC §0: test"),
            new("K", "/properties/gone", "type", SchemaChange.Changed, "SPEC §0: stale"),
            new("Other", "/properties/a", "type", SchemaChange.Changed, "SPEC §0: other kind"),
        ];

        var comparison = GoldenComparison.Evaluate("K", SchemaComparer.Compare(ours, golden), allowList);

        var unexpected = Assert.Single(comparison.Unexpected);
        Assert.Equal(("/properties/a", "type", SchemaChange.Changed), (unexpected.Pointer, unexpected.Keyword, unexpected.Change));
        var stale = Assert.Single(comparison.Stale);
        Assert.Equal("/properties/gone", stale.Pointer);
        Assert.Contains("/properties/a [type] Changed", comparison.Describe("K"), StringComparison.Ordinal);
        Assert.Contains("/properties/gone", comparison.Describe("K"), StringComparison.Ordinal);
    }

    private static JsonObject Schema(string json) => (JsonObject)JsonNode.Parse(json)!;
}
