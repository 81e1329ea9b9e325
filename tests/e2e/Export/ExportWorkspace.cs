namespace Kollect.Tests.E2e.Export;

/// <summary>
/// A temp dir laid out for <c>kollect export</c> (SPEC §8): <c>config/</c> with the Kollect objects
/// and Secrets of team-a, <c>objects/</c> with the ConfigMaps to collect, <c>out/</c> for
/// <c>--output DIR</c>. Deleted on dispose.
/// </summary>
public sealed class ExportWorkspace : IDisposable
{
    /// <summary>A secret value (the NATS password, and a ConfigMap password) that must never be printed or published.</summary>
    public const string Canary = "canary-Xe42-export-secret";

    public const string Namespace = "team-a";
    public const string Inventory = "inventory";
    public const string Cluster = "e2e-export";
    public const string Topic = "kollect-export";
    public const string NatsStream = "kollect_export";
    public const string NatsSubject = "kollect.export.team-a";

    public ExportWorkspace()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kollect-export-").FullName;
        System.IO.Directory.CreateDirectory(ConfigDirectory);
        System.IO.Directory.CreateDirectory(ObjectsDirectory);
    }

    public string Directory { get; }

    public string ConfigDirectory => Path.Combine(Directory, "config");

    public string ObjectsDirectory => Path.Combine(Directory, "objects");

    public string OutputDirectory => Path.Combine(Directory, "out");

    /// <summary><c>kollect-inventory</c> header of the inventory's messages.</summary>
    public static string InventoryHeader => $"{Namespace}/{Inventory}";

    /// <summary>
    /// Writes the profile (ConfigMaps: <c>value</c>, <c>data</c>), the target, a Kafka sink, a NATS
    /// sink authenticated by a user/password Secret, that Secret and the inventory with a string and an object ref.
    /// </summary>
    public void WriteConfig(string kafkaBootstrap, string natsUrl)
    {
        Write(ConfigDirectory, "profile.yaml", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata:
              name: cm-profile
              namespace: team-a
            spec:
              targetGVK:
                group: ""
                version: v1
                kind: ConfigMap
              attributes:
                - name: value
                  path: '$.data.value'
                  type: string
                  optional: true
                - name: data
                  path: '$.data'
                  type: map
                  optional: true
            """);
        Write(ConfigDirectory, "target.yaml", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectTarget
            metadata:
              name: cm-target
              namespace: team-a
            spec:
              profileRef: cm-profile
              includedNamespaces: [team-a]
              labelSelector:
                matchLabels:
                  e2e.kollect.dev/collect: "yes"
            """);
        WriteKafkaSink(kafkaBootstrap);
        Write(ConfigDirectory, "nats-sink.yaml", $"""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectEventSink
            metadata:
              name: nats-sink
              namespace: team-a
            spec:
              type: nats
              cluster: {Cluster}
              nats:
                url: {natsUrl}
                subject: {NatsSubject}
                stream: {NatsStream}
                secretRef:
                  name: nats-login
              provisioning:
                mode: ensure
            """);
        Write(ConfigDirectory, "secrets.yaml", $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: nats-login
              namespace: team-a
            stringData:
              username: kollect
              password: {Canary}
            """);
        Write(ConfigDirectory, "inventory.yaml", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectInventory
            metadata:
              name: inventory
              namespace: team-a
            spec:
              exportMinInterval: 0s
              eventSinkRefs:
                - kafka-sink
                - name: nats-sink
            """);
    }

    /// <summary>
    /// Adds a PostgreSQL <c>KollectDatabaseSink</c> (table <paramref name="table"/>) whose connection
    /// string, with the canary as password, is in a Secret, and makes the inventory export to it too.
    /// </summary>
    public void WriteDatabaseSink(string dsn, string table)
    {
        Write(ConfigDirectory, "database-sink.yaml", $"""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectDatabaseSink
            metadata:
              name: inventory-db
              namespace: team-a
            spec:
              type: postgres
              cluster: {Cluster}
              postgres:
                databaseRef:
                  name: inventory-db
                table: {table}
              options:
                statement_timeout: 30s
            """);
        Write(ConfigDirectory, "database-secret.yaml", $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: inventory-db
              namespace: team-a
            stringData:
              dsn: "{dsn}"
            """);
        Write(ConfigDirectory, "inventory.yaml", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectInventory
            metadata:
              name: inventory
              namespace: team-a
            spec:
              exportMinInterval: 0s
              eventSinkRefs:
                - kafka-sink
                - name: nats-sink
              databaseSinkRefs:
                - inventory-db
            """);
    }

    /// <summary>Removes the objects file's ConfigMap <paramref name="name"/> (the next export no longer sees it).</summary>
    public void RemoveObject(string name)
    {
        var path = Path.Combine(ObjectsDirectory, "configmaps.yaml");
        var documents = File.ReadAllText(path).Split("\n---\n").Where(d => !d.Contains($"  name: {name}\n", StringComparison.Ordinal));
        File.WriteAllText(path, string.Join("\n---\n", documents));
    }

    /// <summary>(Re)writes the Kafka sink; <paramref name="topicLine"/> lets a test break it.</summary>
    public void WriteKafkaSink(string bootstrap, string topicLine = $"topic: {Topic}") =>
        Write(ConfigDirectory, "kafka-sink.yaml", $"""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectEventSink
            metadata:
              name: kafka-sink
              namespace: team-a
            spec:
              type: kafka
              cluster: {Cluster}
              kafka:
                brokers: ["{bootstrap}"]
                {topicLine}
            """);

    /// <summary>
    /// Writes namespace team-a and three labelled ConfigMaps — <c>alpha</c>, <c>beta</c> (characters
    /// Go escapes and non-ASCII), <c>creds</c> (a password that must be scrubbed) — and one unlabelled.
    /// </summary>
    public void WriteObjects()
    {
        Write(ObjectsDirectory, "namespace.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: team-a
            """);
        Write(ObjectsDirectory, "configmaps.yaml", $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: alpha
              namespace: team-a
              uid: 00000000-0000-0000-0000-00000000000a
              labels:
                e2e.kollect.dev/collect: "yes"
            data:
              value: one
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: beta
              namespace: team-a
              uid: 00000000-0000-0000-0000-00000000000b
              labels:
                e2e.kollect.dev/collect: "yes"
            data:
              value: "<b>café & ✓</b>"
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: creds
              namespace: team-a
              uid: 00000000-0000-0000-0000-00000000000c
              labels:
                e2e.kollect.dev/collect: "yes"
            data:
              password: {Canary}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ignored
              namespace: team-a
              uid: 00000000-0000-0000-0000-00000000000d
            data:
              value: not selected
            """);
    }

    /// <summary>Runs <c>kollect export</c> with <c>--config</c> and <c>--objects</c> plus <paramref name="extra"/>; the canary must not show.</summary>
    public async Task<ProcessResult> ExportAsync(params string[] extra)
    {
        var result = await KollectBinary.RunAsync(["export", "--config", ConfigDirectory, "--objects", ObjectsDirectory, .. extra]);
        Assert.False(result.StdOut.Contains(Canary, StringComparison.Ordinal) || result.StdErr.Contains(Canary, StringComparison.Ordinal),
            $"kollect export printed a secret value (SPEC §6.5):\n{result}");
        return result;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>Writes <paramref name="text"/> (plus a final newline) as <paramref name="directory"/>/<paramref name="name"/>.</summary>
    public static void Write(string directory, string name, string text) => File.WriteAllText(Path.Combine(directory, name), text + "\n");
}
