using System.Diagnostics;
using System.Runtime.Loader;
using System.Text.Json;
using Kollect.Tests.Unit.Crds;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// The maintainer's loop (SPEC §1): edit a CRD, run a real <c>dotnet build</c>, and validation
/// follows. Building a copy of the repository also proves that the generator's YamlDotNet
/// dependency is handed to the compiler (an in-process driver test would not notice).
/// </summary>
[Trait("Category", "Slow")]
public sealed class RegenerationTests : IDisposable
{
    private const string Manifest = """
        {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectTarget","metadata":{"name":"t","namespace":"team"},
         "spec":{"profileRef":"p","regenerationProbe":"present"}}
        """;

    private readonly string _copy = Directory.CreateTempSubdirectory("kollect-regeneration-").FullName;

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    [Fact]
    public void A_property_added_to_a_crd_is_accepted_after_a_real_build()
    {
        CopyRepository(Path.Combine("src", "Api"), Path.Combine("src", "Generators"), "crds");

        // Before: the CRDs this test assembly was built from reject the field.
        using (var document = JsonDocument.Parse(Manifest))
        {
            var before = new List<Kollect.Api.FieldError>();
            Kollect.Api.KollectKinds.Find("kollect.dev/v1alpha1", "KollectTarget")!.Validate(document.RootElement, before);
            Assert.Equal(["spec.regenerationProbe: field not declared in schema"], before.Select(e => e.ToString()));
        }

        AddProbeProperty(Path.Combine(_copy, "crds", "kollect.dev_kollecttargets.yaml"));
        Build(Path.Combine(_copy, "src", "Api", "Kollect.Api.csproj"));

        var assembly = Directory.GetFiles(Path.Combine(_copy, "src", "Api", "bin"), "Kollect.Api.dll", SearchOption.AllDirectories).Single();
        Assert.Empty(ValidateWithBuiltAssembly(assembly, Manifest));
    }

    /// <summary>
    /// The operator reads Kollect objects through the generated models only (#10), so renaming a
    /// field in a CRD must break the operator's build where the field is read, rather than compile
    /// and silently misread.
    /// </summary>
    [Fact]
    public void A_field_renamed_in_a_crd_breaks_the_build_of_the_operator()
    {
        CopyRepository(Path.Combine("src", "Api"), Path.Combine("src", "Generators"), Path.Combine("src", "Operator"), "crds");
        var crd = Path.Combine(_copy, "crds", "kollect.dev_kollectprofiles.yaml");
        var text = File.ReadAllText(crd);
        const string Attributes = "\n              attributes:\n";
        Assert.True(text.Split(Attributes).Length == 2, "the KollectProfile CRD no longer declares spec.attributes once at the expected depth");
        File.WriteAllText(crd, text.Replace(Attributes, "\n              attributeList:\n", StringComparison.Ordinal));

        var (exitCode, output) = TryBuild(Path.Combine(_copy, "src", "Operator", "Kollect.Operator.csproj"));
        Assert.True(exitCode != 0, $"the operator still builds after spec.attributes was renamed:\n{output}");
        Assert.Matches(@"CompiledProfile\.cs\(\d+,\d+\): error CS\d+: .*'Attributes'", output);
    }

    private void CopyRepository(params string[] folders)
    {
        var repository = CrdTestFiles.RepositoryRoot;
        foreach (var folder in folders)
        {
            CopyTree(Path.Combine(repository, folder), Path.Combine(_copy, folder));
        }

        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "nuget.config", "NuGet.Config" })
        {
            if (File.Exists(Path.Combine(repository, file)))
            {
                File.Copy(Path.Combine(repository, file), Path.Combine(_copy, file));
            }
        }
    }

    private static void AddProbeProperty(string crdPath)
    {
        const string SpecProperties = "          spec:\n";
        var text = File.ReadAllText(crdPath);
        var spec = text.IndexOf(SpecProperties, StringComparison.Ordinal);
        var properties = text.IndexOf("            properties:\n", spec, StringComparison.Ordinal);
        Assert.True(spec > 0 && properties > spec, "the KollectTarget CRD no longer has the expected spec layout");
        var insertAt = properties + "            properties:\n".Length;
        File.WriteAllText(crdPath, text.Insert(insertAt, "              regenerationProbe:\n                type: string\n"));
    }

    private static void Build(string project)
    {
        var (exitCode, output) = TryBuild(project);
        Assert.True(exitCode == 0, $"dotnet build failed ({exitCode}):\n{output}");
    }

    private static (int ExitCode, string Output) TryBuild(string project)
    {
        var start = new ProcessStartInfo("dotnet", ["build", project, "-nologo", "-nodeReuse:false", "-v:minimal"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet build of the copied repository did not finish in 8 minutes.");
        }

        return (process.ExitCode, output.Result + "\n" + error.Result);
    }

    private static List<string> ValidateWithBuiltAssembly(string assemblyPath, string json)
    {
        var context = new AssemblyLoadContext("regenerated-kollect-api", isCollectible: true);
        try
        {
            return new ReflectedKollectApi(context.LoadFromAssemblyPath(assemblyPath)).Validate("kollect.dev/v1alpha1", "KollectTarget", json);
        }
        finally
        {
            context.Unload();
        }
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopyTree(directory, Path.Combine(destination, name));
            }
        }
    }
}
