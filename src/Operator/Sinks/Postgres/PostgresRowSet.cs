using System.Text;
using Kollect.Operator.Export;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// One export's rows as the column arrays of the table contract (SPEC §2.5): <c>target_name</c>,
/// <c>source_uid</c>, <c>resource_namespace</c> and <c>payload</c> (the Item row's canonical JSON,
/// byte for byte what the envelope carries). Pure: no I/O.
/// </summary>
/// <remarks>
/// The primary key is <c>(inventory_namespace, inventory_name, target_name, source_uid)</c>. Objects read
/// from manifests (<c>kollect export --objects</c>) usually have no uid; their rows key as
/// <c>nouid:&lt;group&gt;/&lt;version&gt;/&lt;kind&gt;/&lt;namespace&gt;/&lt;name&gt;</c>, which no
/// Kubernetes uid can equal, while the payload keeps <c>"uid":""</c> as the envelope does. Two rows
/// with one key (the same object collected twice by one target name, e.g. through two versions of
/// its kind) are written once, the first in canonical order, and counted in <see cref="DuplicateKeys"/>
/// so the export can say so.
/// </remarks>
public sealed class PostgresRowSet
{
    /// <summary>Prefix of the <c>source_uid</c> of rows whose object has no uid.</summary>
    public const string NoUidPrefix = "nouid:";

    private PostgresRowSet(string[] targetNames, string[] sourceUids, string[] resourceNamespaces, string[] payloads, int duplicates, long payloadBytes)
    {
        TargetNames = targetNames;
        SourceUids = sourceUids;
        ResourceNamespaces = resourceNamespaces;
        Payloads = payloads;
        DuplicateKeys = duplicates;
        PayloadBytes = payloadBytes;
    }

    public string[] TargetNames { get; }

    public string[] SourceUids { get; }

    public string[] ResourceNamespaces { get; }

    public string[] Payloads { get; }

    public int Count => TargetNames.Length;

    /// <summary>Rows left out because an earlier row had the same key.</summary>
    public int DuplicateKeys { get; }

    /// <summary>UTF-8 bytes of all payloads.</summary>
    public long PayloadBytes { get; }

    /// <summary>The table's <c>source_uid</c> of an object.</summary>
    public static string SourceUid(ItemIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Uid.Length > 0
            ? identity.Uid
            : $"{NoUidPrefix}{identity.Group}/{identity.Version}/{identity.Kind}/{identity.Namespace}/{identity.Name}";
    }

    /// <summary>The column arrays of <paramref name="rows"/>, in their (canonical) order.</summary>
    public static PostgresRowSet From(IReadOnlyList<ItemRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var targetNames = new List<string>(rows.Count);
        var sourceUids = new List<string>(rows.Count);
        var namespaces = new List<string>(rows.Count);
        var payloads = new List<string>(rows.Count);
        var seen = new HashSet<(string, string)>(rows.Count);
        long bytes = 0;
        foreach (var row in rows)
        {
            var identity = row.Identity;
            var uid = SourceUid(identity);
            if (!seen.Add((identity.TargetName, uid)))
            {
                continue;
            }

            targetNames.Add(identity.TargetName);
            sourceUids.Add(uid);
            namespaces.Add(identity.Namespace);
            payloads.Add(Encoding.UTF8.GetString(row.Json));
            bytes += row.JsonLength;
        }

        return new PostgresRowSet([.. targetNames], [.. sourceUids], [.. namespaces], [.. payloads], rows.Count - targetNames.Count, bytes);
    }
}
