using Kollect.Operator.Collect;
using Kollect.Operator.Pipeline;
using static Kollect.Tests.Unit.Collect.Engine.EngineObjects;

namespace Kollect.Tests.Unit.Pipeline;

/// <summary>SPEC §2.3 cluster inventories over KollectClusterTargets: target selection, namespace restriction, dedupe.</summary>
public sealed class InventorySelectionTests
{
    private const string AllNamespaces = """{"namespaceSelector":{"matchExpressions":[{"key":"env","operator":"Exists"}]}}""";

    private static CollectionEngine Engine()
    {
        var engine = new CollectionEngine();
        engine.UpsertNamespace(Namespace("n1", """{"env":"prod"}"""));
        engine.UpsertNamespace(Namespace("n2", """{"env":"dev"}"""));
        engine.UpsertProfile(Profile("kollect-system", "p", ConfigMap));
        engine.UpsertTarget(ClusterTarget("alpha", """{"profileRef":{"name":"p","namespace":"kollect-system"},"namespaceSelector":{"matchExpressions":[{"key":"env","operator":"Exists"}]}}""", """{"team":"x"}"""));
        engine.UpsertTarget(ClusterTarget("beta", """{"profileRef":{"name":"p","namespace":"kollect-system"},"namespaceSelector":{"matchLabels":{"env":"prod"}}}"""));
        engine.ApplyObject(ConfigMap, Object("n1", "a", uid: "u-a"));
        engine.ApplyObject(ConfigMap, Object("n2", "b", uid: "u-b"));
        return engine;
    }

    private static string Describe(InventoryRows rows) =>
        string.Join(',', rows.Rows.Select(r => $"{r.Identity.TargetName}:{r.Identity.DisplayName}"));

    [Fact]
    public void Cluster_target_rows_have_empty_target_namespace_and_cluster_scope()
    {
        var engine = new CollectionEngine();
        engine.UpsertNamespace(Namespace("n1", """{"env":"prod"}"""));
        engine.UpsertProfile(Profile("kollect-system", "p", ConfigMap));
        engine.UpsertTarget(ClusterTarget("alpha", """{"profileRef":{"name":"p","namespace":"kollect-system"},"namespaceSelector":{"matchLabels":{"env":"prod"}}}"""));
        var change = engine.ApplyObject(ConfigMap, Object("n1", "a"));
        Assert.True(change.ClusterRowsChanged);
        Assert.Empty(change.ChangedNamespaces);
        var row = Assert.Single(InventorySelection.ForClusterInventory(engine, ClusterInventory(AllNamespaces)).Rows);
        Assert.Equal("", row.Identity.TargetNamespace);
        Assert.Empty(engine.RowsForNamespace("n1"));
    }

    [Fact]
    public void All_cluster_targets_when_neither_refs_nor_selector()
    {
        Assert.Equal("alpha:n1/a,alpha:n2/b,beta:n1/a", Describe(InventorySelection.ForClusterInventory(Engine(), ClusterInventory(AllNamespaces))));
    }

    [Fact]
    public void Target_refs_pick_by_name_and_report_missing_ones()
    {
        var rows = InventorySelection.ForClusterInventory(Engine(), ClusterInventory("""{"namespaceSelector":{"matchLabels":{"env":"prod"}},"targetRefs":["beta","gamma"]}"""));
        Assert.Equal("beta:n1/a", Describe(rows));
        Assert.Contains(rows.Problems, p => p.Contains("spec.targetRefs[1]", StringComparison.Ordinal) && p.Contains("gamma", StringComparison.Ordinal));
    }

    [Fact]
    public void Target_selector_matches_target_labels()
    {
        var rows = InventorySelection.ForClusterInventory(Engine(), ClusterInventory("""{"namespaceSelector":{"matchLabels":{"env":"prod"}},"targetSelector":{"matchLabels":{"team":"x"}}}"""));
        Assert.Equal("alpha:n1/a", Describe(rows));
    }

    [Fact]
    public void Namespaces_list_intersects_the_selector()
    {
        var rows = InventorySelection.ForClusterInventory(Engine(), ClusterInventory("""{"namespaceSelector":{"matchExpressions":[{"key":"env","operator":"Exists"}]},"namespaces":["n2"]}"""));
        Assert.Equal("alpha:n2/b", Describe(rows));
    }

    [Fact]
    public void Dedupe_by_uid_keeps_the_first_position_and_the_last_row()
    {
        var engine = Engine();
        // A third target sorting between alpha and beta and collecting the same object as both.
        engine.UpsertTarget(ClusterTarget("alpha2", """{"profileRef":{"name":"p","namespace":"kollect-system"},"namespaceSelector":{"matchLabels":{"env":"prod"}}}"""));
        engine.ApplyObject(ConfigMap, Object("n1", "a", uid: "u-a"));
        engine.ApplyObject(ConfigMap, Object("n1", "z", uid: "u-z"));

        var keepAll = InventorySelection.ForClusterInventory(engine, ClusterInventory(AllNamespaces));
        Assert.Equal("alpha:n1/a,alpha:n1/z,alpha:n2/b,alpha2:n1/a,alpha2:n1/z,beta:n1/a,beta:n1/z", Describe(keepAll));

        var byUid = InventorySelection.ForClusterInventory(engine, ClusterInventory("""{"namespaceSelector":{"matchExpressions":[{"key":"env","operator":"Exists"}]},"dedupe":"byResourceUID"}"""));
        Assert.Equal("beta:n1/a,beta:n1/z,alpha:n2/b", Describe(byUid));
    }

    [Fact]
    public void Cluster_scoped_objects_are_collected_by_cluster_targets_and_kept_by_inventories()
    {
        var engine = Engine();
        engine.UpsertProfile(Profile("kollect-system", "roles", ClusterRole));
        engine.UpsertTarget(ClusterTarget("roles", """{"profileRef":{"name":"roles","namespace":"kollect-system"},"namespaceSelector":{"matchLabels":{"env":"prod"}}}"""));
        engine.ApplyObject(ClusterRole, Object("", "admin"));
        var rows = InventorySelection.ForClusterInventory(engine, ClusterInventory("""{"namespaceSelector":{"matchLabels":{"env":"prod"}},"targetRefs":["roles"]}"""));
        var row = Assert.Single(rows.Rows);
        Assert.Equal("", row.Identity.Namespace);
        Assert.Equal("rbac.authorization.k8s.io", row.Identity.Group);
    }

    [Fact]
    public void Profile_ref_is_reported_as_unsupported()
    {
        var rows = InventorySelection.ForClusterInventory(Engine(), ClusterInventory("""{"namespaceSelector":{"matchLabels":{"env":"prod"}},"profileRef":{"name":"p","namespace":"kollect-system"}}"""));
        Assert.Contains(rows.Problems, p => p.Contains("spec.profileRef is not supported", StringComparison.Ordinal));
        Assert.Equal(2, rows.Rows.Count);
    }

    [Fact]
    public void The_kind_decides_between_namespace_rows_and_cluster_selection()
    {
        var engine = Engine();
        engine.UpsertProfile(Profile("n1", "p", ConfigMap));
        engine.UpsertTarget(Target("n1", "local"));
        engine.ApplyObject(ConfigMap, Object("n1", "a", uid: "u-a"));

        // A list item carries no kind: the caller names it.
        var inventory = Parse("""{"metadata":{"name":"inv","namespace":"n1"},"spec":{}}""");
        var namespaced = InventorySelection.Select(engine, "KollectInventory", inventory);
        Assert.Equal(["local:n1/a"], namespaced.Rows.Select(r => $"{r.Identity.TargetName}:{r.Identity.DisplayName}"));
        Assert.Empty(namespaced.Problems);

        var cluster = Parse($$"""{"metadata":{"name":"all"},"spec":{{AllNamespaces}}}""");
        Assert.Equal("alpha:n1/a,alpha:n2/b,beta:n1/a", Describe(InventorySelection.Select(engine, "KollectClusterInventory", cluster)));
    }

    [Fact]
    public void An_inventory_manifest_without_a_namespace_exports_the_default_namespace()
    {
        var engine = new CollectionEngine();
        engine.UpsertNamespace(Namespace("default"));
        engine.UpsertProfile(Profile("default", "p", ConfigMap));
        engine.UpsertTarget(Target("default", "t"));
        engine.ApplyObject(ConfigMap, Object("default", "a"));
        var rows = InventorySelection.Select(engine, "KollectInventory", Parse("""{"metadata":{"name":"inv"},"spec":{}}"""));
        Assert.Equal("t:default/a", Describe(rows));
    }
}
