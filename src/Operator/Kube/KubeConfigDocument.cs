using YamlDotNet.RepresentationModel;

namespace Kollect.Operator.Kube;

/// <summary>
/// A parsed kubeconfig (one file, or several merged the way kubectl merges <c>KUBECONFIG</c>:
/// the first file that names a cluster, user, context or current-context wins). Pure: reads no
/// file other than the YAML text handed in.
/// </summary>
public sealed class KubeConfigDocument
{
    public Dictionary<string, KubeConfigCluster> Clusters { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, KubeConfigUser> Users { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, KubeConfigContext> Contexts { get; } = new(StringComparer.Ordinal);
    public string? CurrentContext { get; private set; }

    /// <summary>Adds one file's content; <paramref name="baseDirectory"/> anchors relative paths.</summary>
    public void Merge(string yaml, string baseDirectory, string origin)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new KubeConfigException($"kubeconfig {origin} is not valid YAML at line {e.Start.Line}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return;
        }
        CurrentContext ??= Scalar(root, "current-context") is { Length: > 0 } current ? current : null;
        foreach (var (name, body) in NamedEntries(root, "clusters", "cluster", origin))
        {
            if (!Clusters.ContainsKey(name))
            {
                Clusters[name] = new KubeConfigCluster(
                    Scalar(body, "server") ?? throw new KubeConfigException($"kubeconfig {origin}: clusters[{name}].cluster.server is missing."),
                    PathOf(body, "certificate-authority", baseDirectory),
                    Scalar(body, "certificate-authority-data"),
                    Bool(body, "insecure-skip-tls-verify"));
            }
        }
        foreach (var (name, body) in NamedEntries(root, "users", "user", origin))
        {
            if (!Users.ContainsKey(name))
            {
                Users[name] = new KubeConfigUser
                {
                    Token = Scalar(body, "token"),
                    TokenFile = PathOf(body, "tokenFile", baseDirectory),
                    ClientCertificate = PathOf(body, "client-certificate", baseDirectory),
                    ClientCertificateData = Scalar(body, "client-certificate-data"),
                    ClientKey = PathOf(body, "client-key", baseDirectory),
                    ClientKeyData = Scalar(body, "client-key-data"),
                    Exec = body.Children.TryGetValue(new YamlScalarNode("exec"), out var exec) && exec is YamlMappingNode execMap
                        ? ParseExec(execMap, baseDirectory, $"{origin}: users[{name}].user.exec")
                        : null,
                };
            }
        }
        foreach (var (name, body) in NamedEntries(root, "contexts", "context", origin))
        {
            if (!Contexts.ContainsKey(name))
            {
                Contexts[name] = new KubeConfigContext(Scalar(body, "cluster") ?? "", Scalar(body, "user") ?? "", Scalar(body, "namespace"));
            }
        }
    }

    /// <summary>Resolves a context (the current one when <paramref name="contextName"/> is null).</summary>
    public (string Name, KubeConfigContext Context, KubeConfigCluster Cluster, KubeConfigUser User) Resolve(string? contextName)
    {
        var name = contextName ?? CurrentContext
            ?? throw new KubeConfigException("kubeconfig has no current-context; pass --context NAME or set one with 'kubectl config use-context'.");
        if (!Contexts.TryGetValue(name, out var context))
        {
            throw new KubeConfigException($"kubeconfig has no context '{name}' (known: {string.Join(", ", Contexts.Keys.Order(StringComparer.Ordinal))}).");
        }
        if (!Clusters.TryGetValue(context.Cluster, out var cluster))
        {
            throw new KubeConfigException($"kubeconfig context '{name}' refers to cluster '{context.Cluster}', which is not defined.");
        }
        var user = context.User.Length == 0 ? new KubeConfigUser()
            : Users.TryGetValue(context.User, out var u) ? u
            : throw new KubeConfigException($"kubeconfig context '{name}' refers to user '{context.User}', which is not defined.");
        return (name, context, cluster, user);
    }

    private static ExecCredentialPlugin ParseExec(YamlMappingNode exec, string baseDirectory, string where)
    {
        var command = Scalar(exec, "command") ?? throw new KubeConfigException($"kubeconfig {where}.command is missing.");
        // client-go: a command with a path separator is relative to the kubeconfig; a bare name is looked up on PATH.
        if (command.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(command))
        {
            command = Path.GetFullPath(Path.Combine(baseDirectory, command));
        }
        var args = exec.Children.TryGetValue(new YamlScalarNode("args"), out var a) && a is YamlSequenceNode argList
            ? argList.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList()
            : [];
        var env = new List<KeyValuePair<string, string>>();
        if (exec.Children.TryGetValue(new YamlScalarNode("env"), out var e) && e is YamlSequenceNode envList)
        {
            foreach (var item in envList.Children.OfType<YamlMappingNode>())
            {
                env.Add(new(Scalar(item, "name") ?? throw new KubeConfigException($"kubeconfig {where}.env[].name is missing."), Scalar(item, "value") ?? ""));
            }
        }
        return new ExecCredentialPlugin(
            Scalar(exec, "apiVersion") ?? "client.authentication.k8s.io/v1",
            command, args, env, Scalar(exec, "installHint"));
    }

    private static IEnumerable<(string Name, YamlMappingNode Body)> NamedEntries(YamlMappingNode root, string listKey, string bodyKey, string origin)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) || list is not YamlSequenceNode sequence)
        {
            yield break;
        }
        foreach (var entry in sequence.Children.OfType<YamlMappingNode>())
        {
            var name = Scalar(entry, "name") ?? throw new KubeConfigException($"kubeconfig {origin}: an entry of {listKey} has no name.");
            var body = entry.Children.TryGetValue(new YamlScalarNode(bodyKey), out var b) && b is YamlMappingNode map ? map : new YamlMappingNode();
            yield return (name, body);
        }
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static bool Bool(YamlMappingNode map, string key) => Scalar(map, key) is "true" or "True" or "TRUE";

    private static string? PathOf(YamlMappingNode map, string key, string baseDirectory) =>
        Scalar(map, key) is { } path ? Path.GetFullPath(Path.Combine(baseDirectory, path)) : null;
}
