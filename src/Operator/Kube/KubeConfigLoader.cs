using System.Diagnostics;
using k8s;
using k8s.Authentication;
using k8s.KubeConfigModels;
using YamlDotNet.Core;

namespace Kollect.Operator.Kube;

/// <summary>
/// Loads the Kubernetes configuration through KubernetesClient.Aot and adds only what it lacks:
/// the choice among <c>--kubeconfig</c>, <c>KUBECONFIG</c>, the in-cluster service account and
/// <c>~/.kube/config</c> as kubectl makes it; merging several files (the library's merge is
/// internal) with each file's relative paths kept relative to that file, exec commands included;
/// and one-line errors that name the file, the context and what to do (SPEC §7).
/// </summary>
public static class KubeConfigLoader
{
    /// <summary>Where the kubelet mounts the service account (the library reads the same fixed path).</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// An explicit kubeconfig path (several joined by ':'), else <c>KUBECONFIG</c>, else in-cluster
    /// when <c>KUBERNETES_SERVICE_HOST</c> is set, else <c>~/.kube/config</c>.
    /// </summary>
    public static KubeClientConfig Load(string? kubeconfig, string? context, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            return FromKubeconfigFiles(Split(kubeconfig), context);
        }
        if (environment("KUBECONFIG") is { Length: > 0 } fromEnvironment)
        {
            return FromKubeconfigFiles(Split(fromEnvironment), context);
        }
        if (environment("KUBERNETES_SERVICE_HOST") is { Length: > 0 })
        {
            return InCluster();
        }
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(home))
        {
            return FromKubeconfigFiles([home], context);
        }
        throw new KubeConfigException("no Kubernetes configuration found: pass --kubeconfig FILE, set KUBECONFIG, or run in a cluster with a mounted service account.");
    }

    /// <summary>Merges the files as kubectl does (the first file that sets a value or names an entry wins) and selects <paramref name="context"/>.</summary>
    public static KubeClientConfig FromKubeconfigFiles(IReadOnlyList<string> paths, string? context)
    {
        var existing = paths.Where(File.Exists).Select(Path.GetFullPath).ToList();
        if (existing.Count == 0)
        {
            var named = string.Join(", ", paths);
            throw new KubeConfigException(paths.Count == 1
                ? $"kubeconfig {named} does not exist (context {context ?? "current"}): pass --kubeconfig with an existing file or set KUBECONFIG."
                : $"none of the kubeconfig files exist: {named} (context {context ?? "current"}): pass --kubeconfig with an existing file or set KUBECONFIG.");
        }
        var merged = existing.Select(Read).Aggregate(Merge);
        var file = string.Join(":", existing);
        var chosen = context ?? merged.CurrentContext;
        if (string.IsNullOrEmpty(chosen))
        {
            throw new KubeConfigException($"kubeconfig {file} sets no current-context: pass --context with one of {ContextNames(merged)}, or run 'kubectl config use-context NAME'.");
        }
        var selected = merged.Contexts?.FirstOrDefault(c => string.Equals(c.Name, chosen, StringComparison.Ordinal))
            ?? throw new KubeConfigException($"kubeconfig {file} has no context '{chosen}': pass --context with one of {ContextNames(merged)}.");
        var exec = merged.Users?.FirstOrDefault(u => u.Name == selected.ContextDetails?.User)?.UserCredentials?.ExternalExecution;
        KubernetesClientConfiguration library;
        var stderr = new List<string>();
        using var stderrClosed = new ManualResetEventSlim();
        void Capture(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                stderrClosed.Set();
            }
            else if (!string.IsNullOrWhiteSpace(e.Data))
            {
                lock (stderr)
                {
                    stderr.Add(e.Data.Trim());
                }
            }
        }
        // The library runs the exec plugin while it builds the configuration; its stderr is what tells a person why it failed.
        KubernetesClientConfiguration.ExecStdError += Capture;
        try
        {
            library = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, chosen);
        }
        catch (k8s.Exceptions.KubeConfigException e) when (exec is not null && e.Message.StartsWith("external exec failed", StringComparison.Ordinal))
        {
            // The library waits for the plugin's exit, not for its stderr to be read to the end
            // (a plugin that could not even start has none: "failed due to: <start error>").
            if (!e.Message.StartsWith("external exec failed due to: ", StringComparison.Ordinal))
            {
                stderrClosed.Wait(TimeSpan.FromSeconds(2));
            }
            string detail;
            lock (stderr)
            {
                detail = stderr.Count > 0 ? stderr[^1] : FirstLine(e.Message);
            }
            var hint = string.IsNullOrWhiteSpace(exec.InstallHint)
                ? "check that it is installed, on PATH and logged in (run it by hand to see)"
                : FirstLine(exec.InstallHint);
            throw new KubeConfigException($"kubeconfig {file}, context {chosen}: exec credential plugin '{exec.Command}' failed: {detail}; {hint}.", e);
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            throw new KubeConfigException($"kubeconfig {file}, context {chosen}: {FirstLine(e.Message)}; fix the file or pass --context with another of {ContextNames(merged)}.", e);
        }
        catch (Exception e) when (e is IOException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new KubeConfigException($"kubeconfig {file}, context {chosen}: cannot read its certificates or keys: {FirstLine(e.Message)}; fix the paths or the -data fields.", e);
        }
        finally
        {
            KubernetesClientConfiguration.ExecStdError -= Capture;
        }
        return Complete(library, $"kubeconfig {file}, context {chosen}", exec is null || library.TokenProvider is null ? null : ExecRefresh(exec));
    }

    /// <summary>
    /// In-cluster configuration from the mounted service account; the library re-reads the
    /// rotating token every minute, and after a 401 we read it again at once.
    /// </summary>
    public static KubeClientConfig InCluster()
    {
        KubernetesClientConfiguration library;
        try
        {
            library = KubernetesClientConfiguration.InClusterConfig();
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new KubeConfigException($"in-cluster configuration ({ServiceAccountDirectory}): {FirstLine(e.Message)}; outside a cluster pass --kubeconfig.", e);
        }
        library.Namespace = library.Namespace?.Trim();
        var tokenFile = Path.Combine(ServiceAccountDirectory, "token");
        return Complete(library, "in-cluster service account", () => new TokenCredentials(new TokenFileAuth(tokenFile)));
    }

    private static KubeClientConfig Complete(KubernetesClientConfiguration library, string source, Func<ServiceClientCredentials?>? refresh)
    {
        if (!Uri.TryCreate(library.Host, UriKind.Absolute, out var server))
        {
            throw new KubeConfigException($"{source}: server '{library.Host}' is not an absolute URL; write it as https://HOST:PORT.");
        }
        try
        {
            KubeClient.ClientCertificate(library)?.Dispose();
        }
        catch (Exception e) when (e is FormatException or IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new KubeConfigException($"{source}: the client certificate or key cannot be loaded: {FirstLine(e.Message)}; fix client-certificate(-data) and client-key(-data).", e);
        }
        // An exec plugin already ran while loading: start with its token rather than let the
        // library's provider run the plugin a second time on the first request.
        var initial = refresh is not null && library.TokenProvider is ExecTokenProvider && !string.IsNullOrEmpty(library.AccessToken)
            ? new TokenCredentials(library.AccessToken)
            : Kubernetes.CreateCredentials(library);
        return new KubeClientConfig
        {
            Library = library,
            Server = server,
            Credentials = initial,
            RefreshCredentials = refresh,
            Namespace = string.IsNullOrEmpty(library.Namespace) ? "default" : library.Namespace,
            Source = source,
        };
    }

    private static Func<ServiceClientCredentials?> ExecRefresh(ExternalExecution exec) => () => new TokenCredentials(new ExecTokenProvider(exec));

    private static K8SConfiguration Read(string path)
    {
        K8SConfiguration? config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(path);
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"kubeconfig {path} is not a valid kubeconfig (line {e.Start.Line}, column {e.Start.Column}): {FirstLine(e.InnerException?.Message ?? e.Message)}; fix the file ('kubectl config view --kubeconfig {path}' shows how kubectl reads it).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"kubeconfig {path} cannot be read: {FirstLine(e.Message)}; check the path and its permissions.", e);
        }
        if (config is null)
        {
            throw new KubeConfigException($"kubeconfig {path} is empty; pass --kubeconfig with a kubeconfig file.");
        }
        // Relative paths in a kubeconfig are relative to that file, also once merged with others.
        var directory = Path.GetDirectoryName(path) ?? ".";
        string? Absolute(string? p) => string.IsNullOrEmpty(p) || Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(directory, p));
        foreach (var cluster in config.Clusters ?? [])
        {
            if (cluster.ClusterEndpoint is { } endpoint)
            {
                endpoint.CertificateAuthority = Absolute(endpoint.CertificateAuthority);
            }
        }
        foreach (var user in config.Users ?? [])
        {
            if (user.UserCredentials is not { } credentials)
            {
                continue;
            }
            credentials.ClientCertificate = Absolute(credentials.ClientCertificate);
            credentials.ClientKey = Absolute(credentials.ClientKey);
            // kubectl runs a command with a path separator relative to the kubeconfig, a bare name from PATH.
            if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains('/', StringComparison.Ordinal))
            {
                exec.Command = Absolute(command);
            }
        }
        return config;
    }

    private static K8SConfiguration Merge(K8SConfiguration first, K8SConfiguration next)
    {
        first.CurrentContext ??= next.CurrentContext;
        first.Clusters = Union(first.Clusters, next.Clusters, c => c.Name);
        first.Users = Union(first.Users, next.Users, u => u.Name);
        first.Contexts = Union(first.Contexts, next.Contexts, c => c.Name);
        return first;
    }

    private static List<T> Union<T>(IEnumerable<T>? first, IEnumerable<T>? next, Func<T, string> name)
    {
        var result = (first ?? []).ToList();
        var names = result.Select(name).ToHashSet(StringComparer.Ordinal);
        result.AddRange((next ?? []).Where(item => names.Add(name(item))));
        return result;
    }

    private static string ContextNames(K8SConfiguration config) =>
        config.Contexts?.Any() == true ? "[" + string.Join(", ", config.Contexts.Select(c => c.Name)) + "]" : "[] (the file defines no contexts)";

    private static string[] Split(string paths) => paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
