using System.Linq;
using Kollect.Generators.Model;

namespace Kollect.Generators.Emitting;

/// <summary>Emits the generated half of <c>Kollect.Api.KollectKinds</c>: the list of every kind.</summary>
internal static class KindsListEmitter
{
    public const string HintName = "Kollect.Api.KollectKinds.g.cs";

    public static string Emit(EquatableArray<KindEntry> entries)
    {
        var w = SourceWriter.StartFile();
        w.Line("namespace Kollect.Api;");
        w.Line();
        w.Open("public static partial class KollectKinds");
        w.Open("private static partial KollectKind[] CreateAll() => new KollectKind[]");
        foreach (var entry in entries
            .OrderBy(e => e.ApiVersion, System.StringComparer.Ordinal)
            .ThenBy(e => e.Kind, System.StringComparer.Ordinal))
        {
            w.Line($"global::{entry.Namespace}.{entry.Kind}.Definition,");
        }

        w.Close(";");
        w.Close();
        return w.ToString();
    }
}
