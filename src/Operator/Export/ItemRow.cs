using System.Buffers;
using System.Text;

namespace Kollect.Operator.Export;

/// <summary>
/// One collected object as it is kept in memory (SPEC §3: only rows, never full objects): its
/// canonical JSON bytes and its canonical sort key, the UTF-8 of
/// <c>targetNamespace␀targetName␀namespace␀name␀uid␀group␀version␀kind</c> (SPEC §4). Byte
/// order of UTF-8 is code point order, so comparing keys as bytes is the ordinal comparison the
/// spec asks for, independent of UTF-16. The identity is decoded from the key on demand.
/// </summary>
public sealed class ItemRow : IComparable<ItemRow>
{
    private const byte Separator = 0;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? scratch;

    private readonly byte[] json;
    private readonly byte[] sortKey;

    private ItemRow(byte[] json, byte[] sortKey)
    {
        this.json = json;
        this.sortKey = sortKey;
    }

    /// <summary>The row as canonical JSON: identity fields in SPEC §3 order, then <c>attributes</c>.</summary>
    public ReadOnlySpan<byte> Json => json;

    public int JsonLength => json.Length;

    public ReadOnlySpan<byte> SortKey => sortKey;

    /// <summary>
    /// Builds a row. <paramref name="canonicalAttributes"/> must be the canonical JSON of the
    /// attributes object (as written by <see cref="GoJsonWriter"/>); it is embedded unchanged.
    /// </summary>
    public static ItemRow Create(ItemIdentity identity, ReadOnlySpan<byte> canonicalAttributes)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (canonicalAttributes.Length < 2 || canonicalAttributes[0] != (byte)'{' || canonicalAttributes[^1] != (byte)'}')
        {
            throw new ArgumentException("attributes must be a canonical JSON object", nameof(canonicalAttributes));
        }
        var buffer = scratch ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = new GoJsonWriter(buffer);
        writer.WriteRaw("{\"targetNamespace\":"u8);
        writer.WriteString(identity.TargetNamespace);
        writer.WriteRaw(",\"targetName\":"u8);
        writer.WriteString(identity.TargetName);
        writer.WriteRaw(",\"namespace\":"u8);
        writer.WriteString(identity.Namespace);
        writer.WriteRaw(",\"name\":"u8);
        writer.WriteString(identity.Name);
        if (identity.Group.Length > 0)
        {
            writer.WriteRaw(",\"group\":"u8);
            writer.WriteString(identity.Group);
        }
        writer.WriteRaw(",\"version\":"u8);
        writer.WriteString(identity.Version);
        writer.WriteRaw(",\"kind\":"u8);
        writer.WriteString(identity.Kind);
        writer.WriteRaw(",\"uid\":"u8);
        writer.WriteString(identity.Uid);
        writer.WriteRaw(",\"attributes\":"u8);
        writer.WriteRaw(canonicalAttributes);
        writer.WriteRaw((byte)'}');
        var json = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1 << 20)
        {
            // Do not pin a huge scratch buffer to the thread after one unusually large row.
            scratch = null;
        }
        return new ItemRow(json, BuildSortKey(identity));
    }

    private static byte[] BuildSortKey(ItemIdentity identity)
    {
        string[] fields =
        [
            identity.TargetNamespace, identity.TargetName, identity.Namespace, identity.Name,
            identity.Uid, identity.Group, identity.Version, identity.Kind,
        ];
        var length = fields.Length - 1;
        foreach (var field in fields)
        {
            length += Encoding.UTF8.GetByteCount(field);
        }
        var key = new byte[length];
        var position = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                key[position++] = Separator;
            }
            position += Encoding.UTF8.GetBytes(fields[i], key.AsSpan(position));
        }
        return key;
    }

    /// <summary>The identity, decoded from the sort key (rows keep no other copy of it).</summary>
    public ItemIdentity Identity
    {
        get
        {
            var fields = new string[8];
            var rest = sortKey.AsSpan();
            for (var i = 0; i < 8; i++)
            {
                var end = i == 7 ? rest.Length : rest.IndexOf(Separator);
                fields[i] = Encoding.UTF8.GetString(rest[..end]);
                rest = i == 7 ? rest : rest[(end + 1)..];
            }
            return new ItemIdentity(fields[0], fields[1], fields[2], fields[3], fields[5], fields[6], fields[7], fields[4]);
        }
    }

    /// <summary>Canonical order (SPEC §4).</summary>
    public int CompareTo(ItemRow? other) => other is null ? 1 : sortKey.AsSpan().SequenceCompareTo(other.sortKey);

    public override string ToString() => Encoding.UTF8.GetString(json);
}
