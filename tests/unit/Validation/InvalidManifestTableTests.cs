using Kollect.Operator.Manifests;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;
using Kollect.Tests.Unit.Cli;

namespace Kollect.Tests.Unit.Validation;

/// <summary>The table of invalid manifests (schema and semantic errors), each with its exact field path and message.</summary>
public sealed class InvalidManifestTableTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var invalid in InvalidManifestCase.LoadAll())
        {
            data.Add(invalid.Name);
        }

        return data;
    }

    [Fact]
    public void The_table_has_at_least_thirty_cases_each_with_an_expectation()
    {
        var cases = InvalidManifestCase.LoadAll();

        Assert.True(cases.Count >= 30, $"only {cases.Count} cases");
        Assert.All(cases, c => Assert.NotEmpty(c.Expectations));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void The_validator_reports_the_expected_error_at_the_exact_path(string name)
    {
        var invalid = Find(name);
        var read = ManifestReader.Read([invalid.File]);
        Assert.Empty(read.Errors);
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Standard(EndpointPolicy.PublicOnly), SemanticValidationOptions.Default));

        var problems = read.Documents.SelectMany(d => validator.Validate(d).Errors).ToList();

        // Schema and semantic rules must not both report the same field (ManifestValidator keeps the schema's).
        Assert.Equal(problems.Count, problems.Select(p => p.Path).Distinct(StringComparer.Ordinal).Count());
        foreach (var (path, message) in invalid.Expectations)
        {
            Assert.True(
                problems.Any(p => p.Path == path && p.Message.StartsWith(message, StringComparison.Ordinal)),
                $"expected {path}: {message}\nbut got:\n{string.Join("\n", problems)}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Kollect_validate_exits_1_and_prints_the_error_line(string name)
    {
        var invalid = Find(name);
        var document = Assert.Single(ManifestReader.Read([invalid.File]).Documents);

        var (exitCode, stdout, stderr) = CliRunner.Run("validate", "-f", invalid.File);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stderr);
        foreach (var (path, message) in invalid.Expectations)
        {
            Assert.Contains($"{document}: {path}: {message}", stdout, StringComparison.Ordinal);
        }

        foreach (var secret in invalid.NotInOutput)
        {
            Assert.DoesNotContain(secret, stdout, StringComparison.Ordinal);
        }
    }

    private static InvalidManifestCase Find(string name) => InvalidManifestCase.LoadAll().Single(c => c.Name == name);
}
