using System.Text;

namespace Kollect.Tests.Unit.Generators;

/// <summary>Describes where two texts first differ, with a few lines of context from each side.</summary>
internal static class SnapshotDiff
{
    public static string Describe(string name, string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        var builder = new StringBuilder();
        builder.AppendLine($"{name}: generated code differs from the snapshot at line {line + 1} (rerun with KOLLECT_UPDATE_SNAPSHOTS=1 to accept).");
        AppendContext(builder, "snapshot ", expectedLines, line);
        AppendContext(builder, "generated", actualLines, line);
        return builder.ToString();
    }

    private static void AppendContext(StringBuilder builder, string label, string[] lines, int line)
    {
        for (var i = Math.Max(0, line - 2); i < Math.Min(lines.Length, line + 4); i++)
        {
            builder.AppendLine($"  {label} {i + 1,5}{(i == line ? '>' : ' ')} {lines[i]}");
        }
    }
}
