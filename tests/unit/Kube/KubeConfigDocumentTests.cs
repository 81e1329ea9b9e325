using Kollect.Operator.Kube;

namespace Kollect.Tests.Unit.Kube;

public sealed class KubeConfigDocumentTests
{
    private const string Config = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority: certs/ca.crt
        - name: prod-cluster
          cluster:
            server: https://prod.example:443
            insecure-skip-tls-verify: true
        users:
        - name: dev-user
          user:
            token: abc
        - name: exec-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: ./bin/get-token
              args: ["--cluster", "prod"]
              env:
              - name: REGION
                value: eu-west-1
              installHint: install get-token
        contexts:
        - name: dev
          context:
            cluster: dev-cluster
            user: dev-user
            namespace: team-a
        - name: prod
          context:
            cluster: prod-cluster
            user: exec-user
        """;

    private static KubeConfigDocument Parse(string yaml = Config)
    {
        var document = new KubeConfigDocument();
        document.Merge(yaml, "/home/me/.kube", "test");
        return document;
    }

    [Fact]
    public void Current_context_resolves_cluster_user_and_namespace_with_paths_relative_to_the_file()
    {
        var (name, context, cluster, user) = Parse().Resolve(null);
        Assert.Equal("dev", name);
        Assert.Equal("team-a", context.Namespace);
        Assert.Equal("https://10.0.0.1:6443", cluster.Server);
        Assert.Equal("/home/me/.kube/certs/ca.crt", cluster.CertificateAuthority);
        Assert.False(cluster.InsecureSkipTlsVerify);
        Assert.Equal("abc", user.Token);
    }

    [Fact]
    public void Named_context_with_exec_plugin_is_parsed()
    {
        var (_, _, cluster, user) = Parse().Resolve("prod");
        Assert.True(cluster.InsecureSkipTlsVerify);
        var exec = user.Exec!;
        Assert.Equal("client.authentication.k8s.io/v1beta1", exec.ApiVersion);
        Assert.Equal("/home/me/.kube/bin/get-token", exec.Command);
        Assert.Equal(["--cluster", "prod"], exec.Args);
        Assert.Equal([new KeyValuePair<string, string>("REGION", "eu-west-1")], exec.Env);
        Assert.Equal("install get-token", exec.InstallHint);
    }

    [Fact]
    public void Bare_exec_command_is_left_for_path_lookup()
    {
        var document = Parse(Config.Replace("./bin/get-token", "aws", StringComparison.Ordinal));
        Assert.Equal("aws", document.Resolve("prod").User.Exec!.Command);
    }

    [Fact]
    public void Unknown_context_is_reported_with_the_known_ones()
    {
        var error = Assert.Throws<KubeConfigException>(() => Parse().Resolve("staging"));
        Assert.Contains("'staging'", error.Message, StringComparison.Ordinal);
        Assert.Contains("dev, prod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void First_file_wins_when_merging_like_kubectl()
    {
        var document = new KubeConfigDocument();
        document.Merge("""
            current-context: a
            clusters:
            - name: c
              cluster: {server: "https://first:6443"}
            contexts:
            - name: a
              context: {cluster: c, user: ""}
            """, "/x", "first");
        document.Merge(Config, "/y", "second");
        Assert.Equal("a", document.CurrentContext);
        Assert.Equal("https://first:6443", document.Resolve(null).Cluster.Server);
        Assert.Equal("team-a", document.Resolve("dev").Context.Namespace);
    }

    [Fact]
    public void Invalid_yaml_names_the_file_and_line()
    {
        var error = Assert.Throws<KubeConfigException>(() => new KubeConfigDocument().Merge("clusters: [\n  - {", "/x", "/x/config"));
        Assert.Contains("/x/config", error.Message, StringComparison.Ordinal);
    }
}
