using System.Diagnostics;
using System.Text.Json.Nodes;
using Kollect.Operator.Manifests;

namespace Kollect.Tests.Unit.Deploy;

/// <summary>
/// A kustomization of the repository (<c>config/default</c>, <c>tests/e2e/kind/brokers</c>, …)
/// rendered by the real <c>kubectl kustomize</c> (no server involved), as JSON objects.
/// </summary>
public static class RenderedConfig
{
    public static string ConfigDirectory => Path.Combine(Crds.CrdTestFiles.RepositoryRoot, "config");

    public static IReadOnlyList<JsonObject> Render(string kustomization)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "kustomize", Path.Combine(Crds.CrdTestFiles.RepositoryRoot, kustomization) })
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is needed to render config/ (Debian: apt-get install kubernetes-client; scripts/bootstrap.sh installs it)", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), $"kubectl kustomize {kustomization} did not finish within 60 s");
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {kustomization} exited {process.ExitCode}: {error.Result}");
            var read = ManifestReader.ReadText(kustomization, output.Result);
            Assert.Empty(read.Errors);
            return read.Documents.Select(d => d.Content.AsObject()).ToList();
        }
    }

    public static string Kind(JsonObject o) => (string)o["kind"]!;

    public static string Name(JsonObject o) => (string)o["metadata"]!["name"]!;

    public static string? Namespace(JsonObject o) => (string?)o["metadata"]?["namespace"];

    public static JsonObject Single(IReadOnlyList<JsonObject> objects, string kind, string name) =>
        Assert.Single(objects, o => Kind(o) == kind && Name(o) == name);

    public static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(v => (string)v!).ToList() : [];
}
