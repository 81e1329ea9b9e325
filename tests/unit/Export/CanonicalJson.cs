using System.Buffers;
using System.Text;
using System.Text.Json;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

/// <summary>Test helpers: canonicalise JSON text with the writer under test, and find the vendored reference data.</summary>
internal static class CanonicalJson
{
    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        new GoJsonWriter(buffer).WriteElement(document.RootElement);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Write(Action<GoJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new GoJsonWriter(buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The repository root: the folder that holds Kollect.Aot.sln.</summary>
    public static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kollect.Aot.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Kollect.Aot.sln not found above " + AppContext.BaseDirectory);
    }

    public static string GoldenFile(string name) =>
        Path.Combine(RepoRoot(), "tests", "compat", "upstream", "test", "schema", "golden", name);
}
