using Kollect.Operator.Collect;
using Kollect.Operator.Kube;
using static Kollect.Tests.Unit.Collect.Engine.EngineObjects;

namespace Kollect.Tests.Unit.Collect.Engine;

/// <summary>SPEC §3 object filters: label selector and names, resource rules (OR) with matchPolicy, watch labels, OptIn, cluster-scoped objects.</summary>
public sealed class ObjectFilterTests
{
    private static CollectionEngine Engine(string targetSpec)
    {
        var engine = new CollectionEngine();
        engine.UpsertNamespace(Namespace("team", """{"env":"prod"}"""));
        engine.UpsertNamespace(Namespace("other", """{"env":"dev"}"""));
        engine.UpsertNamespace(Namespace("open", """{"env":"dev","kollect.dev/watch":"enabled"}"""));
        engine.UpsertNamespace(Namespace("closed", """{"env":"dev","kollect.dev/watch":"disabled"}"""));
        engine.UpsertProfile(Profile("team", "p", ConfigMap));
        engine.UpsertTarget(Target("team", "t", targetSpec));
        return engine;
    }

    private static string Collected(CollectionEngine engine, string ns = "team") =>
        string.Join(',', engine.RowsForNamespace(ns).Select(r => r.Identity.DisplayName + ":" + r.Identity.Kind));

    [Fact]
    public void Label_selector_and_names_both_apply()
    {
        var engine = Engine("""{"profileRef":"p","includedNamespaces":["team"],"labelSelector":{"matchLabels":{"app":"web"}},"names":["a","b"]}""");
        engine.ApplyObject(ConfigMap, Object("team", "a", labels: """{"app":"web"}"""));
        engine.ApplyObject(ConfigMap, Object("team", "b", labels: """{"app":"db"}"""));
        engine.ApplyObject(ConfigMap, Object("team", "c", labels: """{"app":"web"}"""));
        Assert.Equal("team/a:ConfigMap", Collected(engine));
    }

    [Fact]
    public void Objects_outside_effective_namespaces_are_not_collected()
    {
        var engine = Engine("""{"profileRef":"p","namespaceSelector":{"matchLabels":{"env":"prod"}}}""");
        engine.ApplyObject(ConfigMap, Object("team", "a"));
        engine.ApplyObject(ConfigMap, Object("other", "b"));
        engine.ApplyObject(ConfigMap, Object("unknown", "c"));
        Assert.Equal("team/a:ConfigMap", Collected(engine));
    }

    [Fact]
    public void Object_watch_disabled_label_is_skipped_and_an_update_removes_the_row()
    {
        var engine = Engine("""{"profileRef":"p"}""");
        engine.ApplyObject(ConfigMap, Object("team", "a"));
        Assert.Equal("team/a:ConfigMap", Collected(engine));
        var change = engine.ApplyObject(ConfigMap, Object("team", "a", labels: """{"kollect.dev/watch":"disabled"}"""));
        Assert.Equal("", Collected(engine));
        Assert.Contains("team", change.ChangedNamespaces);
    }

    [Theory]
    [InlineData("""{"profileRef":"p"}""")]
    [InlineData("""{"profileRef":"p","watchMode":"OptIn"}""")]
    public void Object_opt_in_wins_over_namespace_opt_out_and_object_opt_out_always_wins(string spec)
    {
        // SPEC §3, issue #12: the object's own label decides before its namespace's.
        var engine = Engine(spec);
        engine.UpsertNamespace(Namespace("annotated", annotations: """{"kollect.dev/namespace-watch":"disabled"}"""));
        engine.ApplyObject(ConfigMap, Object("closed", "enabled", labels: """{"kollect.dev/watch":"enabled"}"""));
        engine.ApplyObject(ConfigMap, Object("closed", "plain"));
        engine.ApplyObject(ConfigMap, Object("annotated", "enabled", labels: """{"kollect.dev/watch":"enabled"}"""));
        engine.ApplyObject(ConfigMap, Object("annotated", "plain"));
        engine.ApplyObject(ConfigMap, Object("open", "disabled", labels: """{"kollect.dev/watch":"disabled"}"""));
        // Rows are kept per target namespace (team).
        Assert.Equal("annotated/enabled:ConfigMap,closed/enabled:ConfigMap", Collected(engine));
        Assert.Equal(
            """{"targetNamespace":"team","targetName":"t","namespace":"closed","name":"enabled","version":"v1","kind":"ConfigMap","uid":"uid-closed-enabled","attributes":{"data":{"k":"v"}}}""",
            engine.RowsForNamespace("team").Single(r => r.Identity.Namespace == "closed").ToString());
        // Effective namespaces (status) still leave the opted-out namespace out.
        Assert.DoesNotContain("closed", engine.Report(TargetKey.Namespaced("team", "t"))!.EffectiveNamespaces);
    }

    [Fact]
    public void Target_exclusions_still_win_over_object_opt_in()
    {
        var engine = Engine("""{"profileRef":"p","excludedNamespaces":["closed"]}""");
        engine.ApplyObject(ConfigMap, Object("closed", "enabled", labels: """{"kollect.dev/watch":"enabled"}"""));
        Assert.Equal("", Collected(engine));
    }

    [Fact]
    public void A_namespace_opting_out_keeps_only_its_opted_in_objects()
    {
        var engine = Engine("""{"profileRef":"p"}""");
        engine.UpsertNamespace(Namespace("flip"));
        engine.ApplyObject(ConfigMap, Object("flip", "enabled", labels: """{"kollect.dev/watch":"enabled"}"""));
        engine.ApplyObject(ConfigMap, Object("flip", "plain"));
        Assert.Equal("flip/enabled:ConfigMap,flip/plain:ConfigMap", Collected(engine));
        var change = engine.UpsertNamespace(Namespace("flip", """{"kollect.dev/watch":"disabled"}"""));
        Assert.Contains(ConfigMap, change.KindsToReplay);
        engine.ReplaceObjects(ConfigMap, [Object("flip", "enabled", labels: """{"kollect.dev/watch":"enabled"}"""), Object("flip", "plain")]);
        Assert.Equal("flip/enabled:ConfigMap", Collected(engine));
    }

    [Fact]
    public void OptIn_collects_opted_in_namespaces_and_opted_in_objects()
    {
        var engine = Engine("""{"profileRef":"p","watchMode":"OptIn"}""");
        engine.ApplyObject(ConfigMap, Object("open", "a"));
        engine.ApplyObject(ConfigMap, Object("team", "b"));
        engine.ApplyObject(ConfigMap, Object("team", "c", labels: """{"kollect.dev/watch":"enabled"}"""));
        Assert.Equal("open/a:ConfigMap,team/c:ConfigMap", Collected(engine));
    }

    [Fact]
    public void Resource_rules_are_ORed_and_replace_the_profile_kind()
    {
        var engine = Engine("""
            {"profileRef":"p","labelSelector":{"matchLabels":{"ignored":"because-rules"}},"resourceRules":[
              {"gvk":{"version":"v1","kind":"ConfigMap"},"matchLabels":{"app":"web"}},
              {"gvk":{"group":"apps","version":"v1","kind":"Deployment"},"namespaceSelector":{"matchLabels":{"env":"prod"}}}]}
            """);
        Assert.Equal(new HashSet<GroupVersionKind> { ConfigMap, Deployment }, engine.WatchedKinds.ToHashSet());
        engine.ApplyObject(ConfigMap, Object("team", "cm-web", labels: """{"app":"web"}"""));
        engine.ApplyObject(ConfigMap, Object("team", "cm-db", labels: """{"app":"db"}"""));
        engine.ApplyObject(Deployment, Object("team", "deploy"));
        engine.ApplyObject(Deployment, Object("other", "deploy-dev"));
        Assert.Equal("team/cm-web:ConfigMap,team/deploy:Deployment", Collected(engine));
        var deployment = engine.RowsForNamespace("team").Single(r => r.Identity.Kind == "Deployment");
        Assert.Equal("apps", deployment.Identity.Group);
    }

    [Fact]
    public void Match_policy_collects_only_when_true()
    {
        var engine = Engine("""{"profileRef":"p","resourceRules":[{"gvk":{"version":"v1","kind":"ConfigMap"},"matchPolicy":"object.data.k == 'keep'"}]}""");
        engine.ApplyObject(ConfigMap, Object("team", "keep", data: """{"k":"keep"}"""));
        engine.ApplyObject(ConfigMap, Object("team", "drop", data: """{"k":"drop"}"""));
        engine.ApplyObject(ConfigMap, Object("team", "error", data: """{}"""));
        Assert.Equal("team/keep:ConfigMap", Collected(engine));
        Assert.Equal(0, engine.Report(TargetKey.Namespaced("team", "t"))!.ExtractionFailures);
    }

    [Fact]
    public void Invalid_match_policy_is_InvalidSpec_naming_the_field()
    {
        var engine = Engine("""{"profileRef":"p","resourceRules":[{"gvk":{"version":"v1","kind":"ConfigMap"},"matchPolicy":"object.data.k ==="}]}""");
        var report = engine.Report(TargetKey.Namespaced("team", "t"))!;
        Assert.Equal(TargetCollectionState.InvalidSpec, report.State);
        Assert.Contains("spec.resourceRules[0].matchPolicy", report.Problem, StringComparison.Ordinal);
        Assert.Empty(engine.WatchedKinds);
    }

    [Fact]
    public void Namespaced_target_never_collects_cluster_scoped_objects()
    {
        var engine = Engine("""{"profileRef":"p"}""");
        engine.ApplyObject(ConfigMap, Object("", "global"));
        Assert.Equal("", Collected(engine));
    }

    [Fact]
    public void Secrets_are_not_collected_with_a_profile_reading_their_data_without_the_annotation()
    {
        // SPEC §3 Secret data guard: also when a resource rule, not the profile, asks for Secrets.
        var secret = new GroupVersionKind("", "v1", "Secret");
        var engine = new CollectionEngine();
        engine.UpsertNamespace(Namespace("team"));
        engine.UpsertProfile(Profile("team", "values", secret, """[{"name":"password","path":"$.data.password"}]"""));
        engine.UpsertProfile(Profile("team", "labels", secret, """[{"name":"labels","path":"$.metadata.labels"}]"""));
        engine.UpsertProfile(Profile("team", "cm", ConfigMap));
        engine.UpsertTarget(Target("team", "values", """{"profileRef":"values"}"""));
        engine.UpsertTarget(Target("team", "labels", """{"profileRef":"labels"}"""));
        engine.UpsertTarget(Target("team", "rule", """{"profileRef":"cm","resourceRules":[{"gvk":{"version":"v1","kind":"Secret"}}]}"""));
        engine.ApplyObject(secret, Object("team", "db", labels: """{"app":"db"}""", data: """{"password":"aHVudGVyMg=="}"""));

        Assert.Equal(["labels"], engine.RowsForNamespace("team").Select(r => r.Identity.TargetName));
        var values = engine.Report(TargetKey.Namespaced("team", "values"))!;
        Assert.Equal(TargetCollectionState.InvalidSpec, values.State);
        Assert.Equal(
            """KollectTarget team/values: collects Secrets, but KollectProfile team/values: spec.attributes[0].path reads Secret data ('$.data.password' can return data or stringData); read only metadata (labels, annotations, type), or annotate the KollectProfile kollect.dev/allow-secret-extraction: "true" to extract Secret values on purpose""",
            values.Problem);
        Assert.Equal(TargetCollectionState.InvalidSpec, engine.Report(TargetKey.Namespaced("team", "rule"))!.State);

        var annotated = Profile("team", "values", secret, """[{"name":"password","path":"$.data.password"}]""");
        annotated.Metadata.Annotations = new() { ["kollect.dev/allow-secret-extraction"] = "true" };
        engine.UpsertProfile(annotated);
        engine.ReplaceObjects(secret, [Object("team", "db", labels: """{"app":"db"}""", data: """{"password":"aHVudGVyMg=="}""")]);
        Assert.Equal(TargetCollectionState.Collecting, engine.Report(TargetKey.Namespaced("team", "values"))!.State);
        // Collected on purpose, and still scrubbed: the attribute name is a sensitive key.
        Assert.Equal(
            """{"targetNamespace":"team","targetName":"values","namespace":"team","name":"db","version":"v1","kind":"Secret","uid":"uid-team-db","attributes":{"password":{"reason":"sensitive-key","redacted":true}}}""",
            engine.RowsForNamespace("team").Single(r => r.Identity.TargetName == "values").ToString());
    }

    [Fact]
    public void A_jsonpath_evaluation_error_is_not_absent()
    {
        // SPEC §3, issue #12: absent ⇒ null; optional erroring ⇒ omitted; required erroring ⇒ no row, counted.
        var engine = Engine("""{"profileRef":"p"}""");
        engine.UpsertProfile(Profile("team", "p", ConfigMap, """
            [{"name":"second","path":"$.data.items[1]"},
             {"name":"initial","path":"{.metadata.name[0]}","optional":true},
             {"name":"absent","path":"$.data.missing"}]
            """));
        engine.ApplyObject(ConfigMap, Object("team", "ok", data: """{"items":["x","y"]}"""));
        engine.ApplyObject(ConfigMap, Object("team", "short", data: """{"items":["x"]}"""));
        Assert.Equal(
            """{"targetNamespace":"team","targetName":"t","namespace":"team","name":"ok","version":"v1","kind":"ConfigMap","uid":"uid-team-ok","attributes":{"absent":null,"second":"y"}}""",
            Assert.Single(engine.RowsForNamespace("team")).ToString());
        var report = engine.Report(TargetKey.Namespaced("team", "t"))!;
        Assert.Equal(1, report.ExtractionFailures);
        Assert.Equal("ConfigMap team/short: attribute 'second' (path '$.data.items[1]'): index [1] is out of range for a list of 1 element(s)", report.LastExtractionError);
    }

    [Fact]
    public void Required_attribute_failure_drops_the_row_and_counts()
    {
        var engine = Engine("""{"profileRef":"p"}""");
        engine.UpsertProfile(Profile("team", "p", ConfigMap, """[{"name":"first","path":"cel:object.data.items[0]"}]"""));
        engine.ApplyObject(ConfigMap, Object("team", "ok", data: """{"items":["x"]}"""));
        engine.ApplyObject(ConfigMap, Object("team", "bad", data: """{"items":[]}"""));
        Assert.Equal("team/ok:ConfigMap", Collected(engine));
        var report = engine.Report(TargetKey.Namespaced("team", "t"))!;
        Assert.Equal(1, report.ExtractionFailures);
        Assert.Contains("ConfigMap team/bad", report.LastExtractionError, StringComparison.Ordinal);
        Assert.Contains("'first'", report.LastExtractionError, StringComparison.Ordinal);

        engine.ApplyObject(ConfigMap, Object("team", "bad", data: """{"items":["y"]}"""));
        report = engine.Report(TargetKey.Namespaced("team", "t"))!;
        Assert.Equal(0, report.ExtractionFailures);
        Assert.Null(report.LastExtractionError);
        Assert.Equal(2, report.CollectedCount);
    }

    [Fact]
    public void Row_identity_and_attributes()
    {
        var engine = Engine("""{"profileRef":"p"}""");
        engine.ApplyObject(ConfigMap, Object("other", "cm", uid: "u1"));
        var row = Assert.Single(engine.RowsForNamespace("team"));
        Assert.Equal("""{"targetNamespace":"team","targetName":"t","namespace":"other","name":"cm","version":"v1","kind":"ConfigMap","uid":"u1","attributes":{"data":{"k":"v"}}}""", row.ToString());
        Assert.Empty(engine.RowsForNamespace("other"));
    }
}
