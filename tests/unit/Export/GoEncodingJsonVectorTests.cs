using System.Buffers;
using System.Text;
using System.Text.Json;
using Kollect.Operator.Collect;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

/// <summary>
/// Rows built by our extractor, scrubber and canonical writer are the bytes Go's
/// <c>encoding/json</c> writes for the same rows (SPEC §3–§4, issue #12). The expected bytes and
/// checksums in <c>tests/compat/go/canonical/expected.json</c> are the output of the Go program
/// beside them (its README gives the command), committed so the tests need no Go.
/// </summary>
public sealed class GoEncodingJsonVectorTests
{
    private static readonly string Folder = Path.Combine(Crds.CrdTestFiles.RepositoryRoot, "tests", "compat", "go", "canonical");

    public static TheoryData<string> VectorNames()
    {
        var names = new TheoryData<string>();
        foreach (var vector in Load("vectors.json").EnumerateArray())
        {
            names.Add(vector.GetProperty("name").GetString()!);
        }
        return names;
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void A_row_has_the_bytes_and_checksum_go_gives_it(string name)
    {
        var row = BuildRow(Vectors().Single(v => v.GetProperty("name").GetString() == name));
        AssertMatchesGo(name, [row]);
    }

    [Fact]
    public void All_rows_in_canonical_order_have_the_bytes_and_checksum_go_gives_them()
    {
        var rows = Vectors().Select(BuildRow).ToList();
        CanonicalRowArray.Sort(rows);
        AssertMatchesGo("all rows in canonical order", rows);
    }

    [Fact]
    public void The_redaction_marker_is_written_with_sorted_keys()
    {
        Assert.Equal("""{"reason":"sensitive-key","redacted":true}""", Encoding.UTF8.GetString(SensitiveKeyScrubber.Default.Replacement));
    }

    private static void AssertMatchesGo(string name, List<ItemRow> rows)
    {
        var expected = Load("expected.json").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var buffer = new ArrayBufferWriter<byte>();
        var checksum = CanonicalRowArray.WriteWithChecksum(buffer, rows);
        Assert.Equal(expected.GetProperty("items").GetString(), Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(expected.GetProperty("checksum").GetString(), checksum);
        Assert.Equal(checksum, CanonicalRowArray.Checksum(rows));
    }

    private static ItemRow BuildRow(JsonElement vector)
    {
        var attributes = vector.GetProperty("profile").EnumerateArray()
            .Select(a => new ProfileAttribute(a.GetProperty("name").GetString()!, a.GetProperty("path").GetString()!))
            .ToList();
        var result = new AttributeExtractor(attributes).Extract(vector.GetProperty("object"));
        Assert.True(result.Succeeded, result.Failure);
        var r = vector.GetProperty("row");
        string Field(string field) => r.GetProperty(field).GetString()!;
        var identity = new ItemIdentity(Field("targetNamespace"), Field("targetName"), Field("namespace"), Field("name"),
            Field("group"), Field("version"), Field("kind"), Field("uid"));
        return ItemRow.Create(identity, result.Attributes);
    }

    private static IEnumerable<JsonElement> Vectors() => Load("vectors.json").EnumerateArray();

    private static JsonElement Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, file)));
        return document.RootElement.Clone();
    }
}
