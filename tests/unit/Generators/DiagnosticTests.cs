using Microsoft.CodeAnalysis;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// A CRD the generator cannot model is a build error naming the file and the JSON Pointer, never a
/// crash (CONVENTIONS §5). One bad CRD per diagnostic id.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Header = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: gadgets.test.kollect.dev
        """;

    private const string Names = """
        spec:
          group: test.kollect.dev
          names:
            kind: Gadget
            plural: gadgets
          scope: Namespaced
          versions:
          - name: v1
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:

        """;

    private static string Crd(string specProperties, string annotations = "") =>
        Header + "\n" + annotations + Names + specProperties;

    public static TheoryData<string, string, string> BadCrds => new()
    {
        { "KOLGEN001", "spec: [unclosed\n  group: x", "line " },
        { "KOLGEN002", "apiVersion: v1\nkind: ConfigMap\n", "/kind" },
        { "KOLGEN002", Header + "\nspec:\n  group: test.kollect.dev\n  names:\n    kind: Gadget\n  scope: Namespaced\n  versions: []\n", "/spec/names/plural" },
        { "KOLGEN003", Crd("                      when:\n                        type: date\n"), "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/when/type" },
        { "KOLGEN003", Crd("                      loose:\n                        description: no type\n"), "/properties/spec/properties/loose" },
        { "KOLGEN004", Crd("                      choice:\n                        oneOf:\n                        - type: string\n                        - type: integer\n"), "/properties/spec/properties/choice/oneOf" },
        { "KOLGEN004", Crd("                      ref:\n                        $ref: '#/definitions/x'\n"), "/properties/spec/properties/ref/$ref" },
        { "KOLGEN005", Crd("                      fooBar:\n                        type: string\n                      foo-bar:\n                        type: string\n"), "/properties/spec/properties/fooBar" },
        { "KOLGEN005", Crd("                      a:\n                        type: object\n                        properties:\n                          bC:\n                            type: object\n                      aB:\n                        type: object\n                        properties:\n                          c:\n                            type: object\n"), "/properties/spec/properties/aB/properties/c" },
        { "KOLGEN006", Crd("                      refs:\n                        type: string\n", "  annotations:\n    codegen.kollect.dev/well-known-types: '{\"/properties/spec/properties/refs\":\"SinkReference\"}'\n"), "/properties/spec/properties/refs" },
        { "KOLGEN006", Crd("                      refs:\n                        type: string\n", "  annotations:\n    codegen.kollect.dev/well-known-types: '{\"/properties/spec/properties/missing\":\"Duration\"}'\n"), "/properties/spec/properties/missing" },
        { "KOLGEN006", Crd("                      refs:\n                        type: string\n", "  annotations:\n    codegen.kollect.dev/well-known-types: '{\"/properties/spec/properties/refs\":\"Quantity\"}'\n"), "/properties/spec/properties/refs" },
    };

    [Theory]
    [MemberData(nameof(BadCrds))]
    public void A_bad_crd_is_reported_with_file_and_pointer(string id, string yaml, string pointer)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Crd("bad.yaml", yaml));

        Assert.Null(result.Exception);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(Path.Combine("/repo", "crds", "bad.yaml"), message, StringComparison.Ordinal);
        Assert.Contains(pointer, message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine("/repo", "crds", "bad.yaml"), diagnostic.Location.GetLineSpan().Path);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.Contains("Gadget", StringComparison.Ordinal));
    }

    [Fact]
    public void Types_of_two_crds_that_meet_are_reported()
    {
        var gadget = Crd("                      size:\n                        type: string\n");
        var gadgetSpec = gadget.Replace("kind: Gadget", "kind: GadgetSpec", StringComparison.Ordinal)
            .Replace("plural: gadgets", "plural: gadgetspecs", StringComparison.Ordinal);

        var result = GeneratorHarness.Run(GeneratorHarness.Crd("a.yaml", gadget), GeneratorHarness.Crd("b.yaml", gadgetSpec));

        Assert.Null(result.Exception);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KOLGEN005", diagnostic.Id);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Kollect.Api.V1.GadgetSpec", message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("/repo", "crds", "a.yaml"), message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("/repo", "crds", "b.yaml"), message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_kind_in_two_files_is_reported_not_crashed_on()
    {
        var gadget = Crd("                      size:\n                        type: string\n");

        var result = GeneratorHarness.Run(GeneratorHarness.Crd("a.yaml", gadget), GeneratorHarness.Crd("b.yaml", gadget));

        Assert.Null(result.Exception);
        Assert.Contains(result.Diagnostics, d => d.Id == "KOLGEN005"
            && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("Kollect.Api.V1.Gadget'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_location_points_at_the_offending_line()
    {
        var yaml = Crd("                      when:\n                        type: date\n");
        var result = GeneratorHarness.Run(GeneratorHarness.Crd("bad.yaml", yaml));

        var diagnostic = Assert.Single(result.Diagnostics);
        var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
        Assert.Equal("                        type: date", yaml.Split('\n')[line]);
    }

    [Fact]
    public void An_unreadable_file_is_reported_as_a_generator_failure()
    {
        var result = GeneratorHarness.Run(new ThrowingAdditionalText(Path.Combine("/repo", "crds", "broken.yaml")));

        Assert.Null(result.Exception);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KOLGEN000", diagnostic.Id);
        Assert.Contains("the disk went away", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Files_outside_a_crds_folder_are_ignored()
    {
        var result = GeneratorHarness.Run(new InMemoryAdditionalText(Path.Combine("/repo", "config", "not-a-crd.yaml"), "kind: ConfigMap"));

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["Kollect.Api.KollectKinds.g.cs"], result.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void The_real_crds_generate_without_diagnostics()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.RealCrds().ToArray());

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(9, result.GeneratedSources.Length);
    }
}
