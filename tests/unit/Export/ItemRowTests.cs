using System.Security.Cryptography;
using System.Text;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

public sealed class ItemRowTests
{
    private static readonly ItemIdentity Api = new("team-a", "deployments", "team-a", "api", "apps", "v1", "Deployment", "uid-abc");

    [Fact]
    public void Row_fields_are_in_spec_order()
    {
        var row = ItemRow.Create(Api, """{"replicas":2}"""u8);
        Assert.Equal(
            """{"targetNamespace":"team-a","targetName":"deployments","namespace":"team-a","name":"api","group":"apps","version":"v1","kind":"Deployment","uid":"uid-abc","attributes":{"replicas":2}}""",
            row.ToString());
    }

    [Fact]
    public void Empty_group_is_omitted_and_cluster_scoped_namespace_is_empty_string()
    {
        var row = ItemRow.Create(new ItemIdentity("team-a", "nodes", "", "node-1", "", "v1", "Node", "u1"), "{}"u8);
        Assert.Equal(
            """{"targetNamespace":"team-a","targetName":"nodes","namespace":"","name":"node-1","version":"v1","kind":"Node","uid":"u1","attributes":{}}""",
            row.ToString());
    }

    [Fact]
    public void Identity_strings_are_escaped_like_go()
    {
        var row = ItemRow.Create(Api with { Name = "a<b" }, "{}"u8);
        Assert.Contains("\"name\":\"a\\u003cb\"", row.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_must_be_an_object()
    {
        Assert.Throws<ArgumentException>(() => ItemRow.Create(Api, "[]"u8));
    }

    [Fact]
    public void Identity_round_trips_through_the_sort_key()
    {
        Assert.Equal(Api, ItemRow.Create(Api, "{}"u8).Identity);
        var clusterScoped = new ItemIdentity("t", "n", "", "x", "", "v1", "Namespace", "");
        Assert.Equal(clusterScoped, ItemRow.Create(clusterScoped, "{}"u8).Identity);
    }

    [Fact]
    public void Canonical_order_compares_fields_in_spec_order_with_nul_separators()
    {
        ItemRow Row(string targetNs, string targetName, string ns, string name, string uid, string group, string kind) =>
            ItemRow.Create(new ItemIdentity(targetNs, targetName, ns, name, group, "v1", kind, uid), "{}"u8);

        // Expected order, derived from the key targetNamespace␀targetName␀namespace␀name␀uid␀group␀version␀kind:
        var expected = new[]
        {
            Row("a", "t", "ns", "x", "2", "", "K"),
            Row("a", "t", "ns", "x", "2", "apps", "K"),    // same up to uid; "" < "apps" for group
            Row("a", "t", "ns", "x", "3", "", "A"),        // uid decides before group and kind
            Row("a", "t", "ns", "y", "1", "", "K"),        // name decides before uid
            Row("a", "t", "ns-b", "a", "1", "", "K"),      // "ns␀" < "ns-b" because NUL < '-'
            Row("a", "u", "a", "a", "1", "", "K"),
            Row("a-b", "a", "a", "a", "1", "", "K"),
            Row("b", "a", "a", "a", "1", "", "K"),
        };
        var shuffled = expected.Reverse().ToList();
        CanonicalRowArray.Sort(shuffled);
        Assert.Equal(expected.Select(r => r.ToString()), shuffled.Select(r => r.ToString()));
    }

    [Fact]
    public void Checksum_of_no_rows_is_sha256_of_empty_array()
    {
        // printf '[]' | sha256sum
        Assert.Equal("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", CanonicalRowArray.Checksum([]));
    }

    [Fact]
    public void Checksum_is_sha256_of_the_canonical_array()
    {
        // python3: hashlib.sha256(b'[' + row + b']').hexdigest() for the row of Row_fields_are_in_spec_order
        var rows = new[] { ItemRow.Create(Api, """{"replicas":2}"""u8) };
        Assert.Equal("2f200886f0143234b5ca316d0afe302370a44c34549027d0d5dfe24a9acd7d62", CanonicalRowArray.Checksum(rows));
    }

    [Fact]
    public void Checksum_of_several_rows_hashes_the_comma_separated_array()
    {
        var rows = Rows.Many(3);
        var text = "[" + string.Join(",", rows.Select(r => r.ToString())) + "]";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), CanonicalRowArray.Checksum(rows));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("[" + rows[1] + "]"))), CanonicalRowArray.Checksum(rows, 1, 1));
        Assert.Equal(text.Length, CanonicalRowArray.Length(rows, 0, 3));
    }

    [Fact]
    public void Write_with_checksum_of_ten_thousand_rows_hashes_exactly_the_written_bytes()
    {
        var rows = Rows.Many(10_000);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var checksum = CanonicalRowArray.WriteWithChecksum(buffer, rows);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan)), checksum);
        Assert.Equal(CanonicalRowArray.Checksum(rows), checksum);
        Assert.Equal(CanonicalRowArray.Length(rows, 0, rows.Count), buffer.WrittenCount);
        using var document = System.Text.Json.JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(10_000, document.RootElement.GetArrayLength());
    }
}
