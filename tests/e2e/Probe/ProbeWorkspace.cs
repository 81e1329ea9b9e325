namespace Kollect.Tests.E2e.Probe;

/// <summary>
/// A temp dir with one sink manifest and a Secrets dir for <c>kollect probe</c>; deleted on dispose.
/// Every workspace holds a Secret with <see cref="Canary"/> so each run can prove it never prints it.
/// </summary>
public sealed class ProbeWorkspace : IDisposable
{
    /// <summary>A password that must never appear in the probe's output (SPEC §6.5).</summary>
    public const string Canary = "canary-Zq81vX-pw";

    public ProbeWorkspace()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kollect-probe-" + Guid.NewGuid().ToString("N"));
        SecretsDirectory = Path.Combine(Directory, "secrets");
        System.IO.Directory.CreateDirectory(SecretsDirectory);
        AddSecret("canary", $"username: unused\n    password: {Canary}");
    }

    public string Directory { get; }

    public string SecretsDirectory { get; }

    public string SinkFile => Path.Combine(Directory, "sink.yaml");

    /// <summary>Writes a Secret in namespace team-a with the given <c>stringData</c> lines (indented by 4).</summary>
    public void AddSecret(string name, string stringData) =>
        File.WriteAllText(Path.Combine(SecretsDirectory, name + ".yaml"), $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {name}
              namespace: team-a
            stringData:
                {stringData}
            """ + "\n");

    /// <summary>Writes the sink team-a/orders with the given spec lines (indented by 2).</summary>
    public void WriteSink(string spec) =>
        File.WriteAllText(SinkFile, "apiVersion: kollect.dev/v1alpha1\nkind: KollectEventSink\nmetadata:\n  name: orders\n  namespace: team-a\nspec:\n" + spec + "\n");

    /// <summary>Runs <c>kollect probe</c> on the sink and Secrets with a short timeout, then checks the canary never shows.</summary>
    public async Task<ProcessResult> ProbeAsync(params string[] extra)
    {
        var result = await KollectBinary.RunAsync(["probe", "-f", SinkFile, "--secrets", SecretsDirectory, "--timeout", "5s", "-v", .. extra]);
        Assert.DoesNotContain(Canary, result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, result.StdErr, StringComparison.Ordinal);
        return result;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
