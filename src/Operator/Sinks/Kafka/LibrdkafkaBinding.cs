using System.Reflection;
using System.Runtime.InteropServices;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Binds Confluent.Kafka to the system librdkafka (Debian's <c>librdkafka.so.1</c>).
/// </summary>
/// <remarks>
/// The <c>librdkafka.redist</c> package is not available here, so Confluent.Kafka's own loader
/// would find nothing. We answer its DllImport for any name containing "rdkafka" with the system
/// library. <c>Confluent.Kafka.Library.Load(path)</c> is deliberately avoided: it dlopens libdl,
/// which a distroless or NativeAOT process may not have.
/// </remarks>
internal static class LibrdkafkaBinding
{
    /// <summary>The shared object name, overridable for unusual installs.</summary>
    public const string LibraryEnvironmentVariable = "KOLLECT_LIBRDKAFKA";

    private const string DefaultLibrary = "librdkafka.so.1";
    private static int s_installed;

    /// <summary>Installs the resolver once per process; later calls do nothing.</summary>
    public static void EnsureInstalled()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 1)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!libraryName.Contains("rdkafka", StringComparison.OrdinalIgnoreCase))
        {
            return IntPtr.Zero;
        }

        var name = Environment.GetEnvironmentVariable(LibraryEnvironmentVariable);
        return NativeLibrary.Load(string.IsNullOrWhiteSpace(name) ? DefaultLibrary : name);
    }

    /// <summary>
    /// The librdkafka version string as reported through Confluent.Kafka, or an explanation of
    /// why the native library could not be loaded.
    /// </summary>
    public static (bool Loaded, string Description) DescribeVersion()
    {
        EnsureInstalled();
        try
        {
            return (true, Confluent.Kafka.Library.VersionString);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or InvalidOperationException)
        {
            var root = ex is TypeInitializationException { InnerException: { } inner } ? inner : ex;
            return (false, $"unavailable ({root.GetType().Name}: {root.Message}); install the librdkafka1 package or set {LibraryEnvironmentVariable}");
        }
    }
}
