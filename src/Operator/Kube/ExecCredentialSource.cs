using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Kollect.Operator.Kube;

/// <summary>
/// Runs a client-go exec credential plugin and caches its credential until
/// <c>expirationTimestamp</c> (or until a 401 forces a new run), as kubectl does.
/// </summary>
public sealed class ExecCredentialSource : IBearerTokenSource
{
    private static readonly TimeSpan PluginTimeout = TimeSpan.FromSeconds(30);
    private readonly ExecCredentialPlugin _plugin;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ExecCredential? _current;

    public ExecCredentialSource(ExecCredentialPlugin plugin, TimeProvider? time = null)
    {
        _plugin = plugin;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many times the plugin has run (for tests and logs).</summary>
    public int Runs { get; private set; }

    /// <summary>The client certificate of the last credential, when the plugin returned one.</summary>
    public X509Certificate2? ClientCertificate { get; private set; }

    public async ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is null || forceRefresh || (_current.ExpirationTimestamp is { } expires && expires <= _time.GetUtcNow()))
            {
                _current = await RunAsync(cancellationToken).ConfigureAwait(false);
                ClientCertificate = _current.ClientCertificateData is { } cert && _current.ClientKeyData is { } key
                    ? X509Certificate2.CreateFromPem(cert, key)
                    : null;
            }
            return _current.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ExecCredential> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_plugin.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in _plugin.Args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in _plugin.Env)
        {
            start.Environment[name] = value;
        }
        start.Environment["KUBERNETES_EXEC_INFO"] =
            $"{{\"apiVersion\":\"{_plugin.ApiVersion}\",\"kind\":\"ExecCredential\",\"spec\":{{\"interactive\":false}}}}";
        Runs++;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubeConfigException($"exec credential plugin '{_plugin.Command}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            var hint = _plugin.InstallHint is { Length: > 0 } h ? " " + h.Trim() : "";
            throw new KubeConfigException($"exec credential plugin '{_plugin.Command}' could not be run: {e.Message}.{hint}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PluginTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var text = new StringBuilder($"exec credential plugin '{_plugin.Command}' exited with code {process.ExitCode}");
                if (errors.Trim() is { Length: > 0 } e)
                {
                    text.Append(": ").Append(e.Length > 500 ? e[..500] : e);
                }
                throw new KubeConfigException(text.ToString());
            }
            return ExecCredential.Parse(output, _plugin.Command);
        }
    }
}
