using System.Diagnostics;

namespace Kollect.Testing.Operator;

/// <summary>
/// Runs the published NativeAOT <c>kollect</c> binary as its own process. The binary comes from
/// <c>KOLLECT_BIN</c> (set by scripts/test.sh after scripts/publish-aot.sh); without it the tests
/// fail and say how to publish, because an e2e run against anything else proves nothing about AOT.
/// Only <see cref="StartInfo"/> falls back to <c>dotnet kollect.dll</c>, and only where the test
/// project builds the operator next to itself (tests/integration; tests/e2e never does).
/// </summary>
public static class KollectBinary
{
    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("KOLLECT_BIN");
            if (string.IsNullOrEmpty(path))
            {
                throw new InvalidOperationException(
                    "KOLLECT_BIN is not set. Publish the binary with `scripts/publish-aot.sh` and run `KOLLECT_BIN=<its last line> dotnet test tests/e2e`, or run scripts/test.sh.");
            }

            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"KOLLECT_BIN points at '{path}', which does not exist.");
            }

            return path;
        }
    }

    /// <summary>
    /// <c>kollect <paramref name="args"/></c> with output redirected and no inherited KUBECONFIG:
    /// <see cref="Path"/> when <c>KOLLECT_BIN</c> is set, else <c>dotnet kollect.dll</c> from the test
    /// output when the test project references the operator, else the error of <see cref="Path"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var assembly = System.IO.Path.Combine(AppContext.BaseDirectory, "kollect.dll");
        var start = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KOLLECT_BIN")) && File.Exists(assembly)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { assembly } }
            : new ProcessStartInfo(Path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        start.Environment.Remove("KUBECONFIG");
        return start;
    }

    public static Task<ProcessResult> RunAsync(params string[] args) => RunProgramAsync(Path, args);

    /// <summary>Runs another program (a copy of the binary, or a wrapper such as <c>unshare</c>) the same way.</summary>
    public static async Task<ProcessResult> RunProgramAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not exit within 60 s");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}

public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
