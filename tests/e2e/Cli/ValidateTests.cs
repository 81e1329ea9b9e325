
namespace Kollect.Tests.E2e.Cli;

/// <summary>
/// <c>kollect validate</c> in the published AOT binary (issue #3): the generated schema validation,
/// defaulting and the semantic rules must behave exactly as they do under JIT in tests/unit.
/// </summary>
public sealed class ValidateTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var testCase in InvalidManifestCase.LoadAll())
        {
            data.Add(testCase.Name);
        }

        return data;
    }

    [Fact]
    public async Task Every_upstream_sample_is_valid()
    {
        var result = await KollectBinary.RunAsync("validate", "-f", ValidationTestFiles.SamplesDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("6 documents, 0 errors", result.StdOut);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_invalid_manifest_is_rejected_at_the_expected_path(string name)
    {
        var testCase = InvalidManifestCase.Load(Path.Combine(ValidationTestFiles.CasesDirectory, name + ".yaml"));

        var result = await KollectBinary.RunAsync("validate", "-f", testCase.File);

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.StdOut.Split('\n');
        foreach (var (path, message) in testCase.Expectations)
        {
            Assert.True(
                lines.Any(l => l.StartsWith(testCase.File + " ", StringComparison.Ordinal) && l.Contains($": {path}: {message}", StringComparison.Ordinal)),
                $"expected '{path}: {message}' on a line for {testCase.File}\n{result}");
        }

        foreach (var secret in testCase.NotInOutput)
        {
            Assert.DoesNotContain(secret, result.StdOut + result.StdErr);
        }
    }

    [Fact]
    public async Task A_yaml_syntax_error_exits_2_and_names_the_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kollect-e2e-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: kollect.dev/v1alpha1\nkind: KollectEventSink\nmetadata:\n  name: [unclosed\n");
        try
        {
            var result = await KollectBinary.RunAsync("validate", "-f", file);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Matches(@"line \d+", result.StdErr);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
