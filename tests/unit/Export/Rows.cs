using System.Text;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

/// <summary>Builds rows for tests.</summary>
internal static class Rows
{
    public static ItemRow Make(string ns, string name, string attributes = "{}", string group = "apps", string uid = "") =>
        ItemRow.Create(
            new ItemIdentity("team-a", "deployments", ns, name, group, "v1", "Deployment", uid.Length > 0 ? uid : $"uid-{name}"),
            Encoding.UTF8.GetBytes(attributes));

    /// <summary>n rows named r0000… with an attribute padded to <paramref name="padding"/> characters, in canonical order.</summary>
    public static List<ItemRow> Many(int count, int padding = 10)
    {
        var rows = new List<ItemRow>(count);
        for (var i = 0; i < count; i++)
        {
            rows.Add(Make("team-a", $"r{i:D5}", $"{{\"pad\":\"{new string('x', padding)}\"}}"));
        }
        CanonicalRowArray.Sort(rows);
        return rows;
    }
}
