using System.Buffers;
using System.Text;
using System.Text.Json;
using Kollect.Operator.Collect;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Collect;

/// <summary>
/// Our JSONPath gives, path for path, what the original's extraction gives with client-go's
/// <c>util/jsonpath</c> (issue #12: an evaluation error is not "absent"). The expected values in
/// <c>tests/compat/go/jsonpath/expected.json</c> are the output of the Go program beside them
/// (its README gives the command), committed so the tests need no Go.
/// </summary>
public sealed class ClientGoJsonPathVectorTests
{
    private static readonly string Folder = Path.Combine(Crds.CrdTestFiles.RepositoryRoot, "tests", "compat", "go", "jsonpath");

    public static TheoryData<string, string> Paths()
    {
        var data = new TheoryData<string, string>();
        foreach (var vector in Load("expected.json").EnumerateArray())
        {
            foreach (var result in vector.GetProperty("results").EnumerateArray())
            {
                data.Add(vector.GetProperty("name").GetString()!, result.GetProperty("path").GetString()!);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void A_path_gives_what_client_go_gives(string vector, string path)
    {
        var input = Load("vectors.json").EnumerateArray().Single(v => v.GetProperty("name").GetString() == vector);
        var expected = Load("expected.json").EnumerateArray().Single(v => v.GetProperty("name").GetString() == vector)
            .GetProperty("results").EnumerateArray().Single(r => r.GetProperty("path").GetString() == path);

        var actual = JsonPathParser.Parse(path).Evaluate(input.GetProperty("object"));

        if (expected.TryGetProperty("error", out var error) && error.GetBoolean())
        {
            Assert.True(actual.IsError, $"{path}: client-go fails with an evaluation error, we gave {actual}");
            return;
        }
        Assert.False(actual.IsError, $"{path}: client-go gives {expected.GetProperty("value").GetString()}, we failed: {actual.String}");
        var buffer = new ArrayBufferWriter<byte>();
        PathValueWriter.Write(new GoJsonWriter(buffer), actual, redactor: null);
        Assert.Equal(expected.GetProperty("value").GetString(), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Every_vector_path_has_an_expected_value()
    {
        var expected = Load("expected.json").EnumerateArray().SelectMany(v => v.GetProperty("results").EnumerateArray()).Count();
        var paths = Load("vectors.json").EnumerateArray().SelectMany(v => v.GetProperty("paths").EnumerateArray()).Count();
        Assert.Equal(paths, expected);
    }

    private static JsonElement Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, file)));
        return document.RootElement.Clone();
    }
}
