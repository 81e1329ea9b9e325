using System.Reflection;
using System.Runtime.InteropServices;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Makes Confluent.Kafka use the librdkafka shipped next to the binary (<c>librdkafka.so</c>, the
/// <c>librdkafka.redist</c> 2.16 build that needs only glibc) and nothing else.
/// </summary>
/// <remarks>
/// Ours because Confluent.Kafka offers two ways and neither fits: its default DllImport probing
/// falls back silently to a system librdkafka when the shipped file is missing or does not load
/// (Debian's 2.0.2 then crashes the 2.16 consumer path), and <c>Library.Load(path)</c> dlopens
/// <c>libdl.so</c>, which a glibc-only image lacks. A DllImport resolver on Confluent.Kafka's
/// assembly answers every librdkafka import with the shipped file by absolute path, under JIT
/// (tests, beside the test assembly) and NativeAOT alike, and fails with the reason otherwise.
/// </remarks>
internal static class ShippedLibrdkafka
{
    /// <summary>The file name the build and <c>scripts/publish-aot.sh</c> put next to the binary.</summary>
    public const string FileName = "librdkafka.so";

    private static readonly Lazy<(IntPtr Handle, string? Error)> s_library = new(Load);
    private static int s_installed;

    /// <summary>Where the shipped library is expected: the directory of the binary (or test assembly).</summary>
    public static string ExpectedPath => Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>Installs the resolver once per process; later calls do nothing.</summary>
    public static void EnsureInstalled()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 1)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
    }

    /// <summary>
    /// The librdkafka version string as reported through Confluent.Kafka and the file it came
    /// from, or why the shipped library could not be loaded.
    /// </summary>
    public static (bool Loaded, string Description) DescribeVersion()
    {
        EnsureInstalled();
        if (s_library.Value.Error is { } error)
        {
            return (false, $"unavailable: {error}");
        }

        try
        {
            return (true, $"{Confluent.Kafka.Library.VersionString} ({ExpectedPath})");
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or InvalidOperationException or FileLoadException)
        {
            var root = ex is TypeInitializationException { InnerException: { } inner } ? inner : ex;
            return (false, $"unavailable ({root.GetType().Name}: {root.Message})");
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!libraryName.Contains("rdkafka", StringComparison.OrdinalIgnoreCase))
        {
            return IntPtr.Zero;
        }

        // Returning zero would let the runtime probe the system library paths: fail instead.
        var (handle, error) = s_library.Value;
        return handle != IntPtr.Zero ? handle : throw new DllNotFoundException(error);
    }

    private static (IntPtr Handle, string? Error) Load()
    {
        var path = ExpectedPath;
        if (!File.Exists(path))
        {
            return (IntPtr.Zero, $"{path} does not exist; kollect ships librdkafka next to its binary (scripts/publish-aot.sh), so copy the whole publish directory");
        }

        try
        {
            return (NativeLibrary.Load(path), null);
        }
        catch (DllNotFoundException ex)
        {
            return (IntPtr.Zero, $"{path} could not be loaded ({ex.Message}); it must be librdkafka.redist's centos8-librdkafka.so, which needs only glibc");
        }
    }
}
