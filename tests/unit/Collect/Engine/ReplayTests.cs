using System.Text.Json.Nodes;
using Kollect.Operator.Collect;
using static Kollect.Tests.Unit.Collect.Engine.EngineObjects;

namespace Kollect.Tests.Unit.Collect.Engine;

/// <summary>Replay semantics, no-change detection, profile lifecycle and suspend.</summary>
public sealed class ReplayTests
{
    private static readonly TargetKey T = TargetKey.Namespaced("team", "t");

    private static CollectionEngine Engine(bool withProfile = true)
    {
        var engine = new CollectionEngine();
        engine.UpsertNamespace(Namespace("team"));
        if (withProfile)
        {
            engine.UpsertProfile(Profile("team", "p", ConfigMap));
        }
        engine.UpsertTarget(Target("team", "t"));
        return engine;
    }

    private static string Names(CollectionEngine engine) => string.Join(',', engine.RowsForNamespace("team").Select(r => r.Identity.Name));

    [Fact]
    public void ReplaceObjects_removes_vanished_objects()
    {
        var engine = Engine();
        engine.ReplaceObjects(ConfigMap, [Object("team", "a"), Object("team", "b")]);
        Assert.Equal("a,b", Names(engine));

        var change = engine.ReplaceObjects(ConfigMap, [Object("team", "b")]);

        Assert.Equal("b", Names(engine));
        Assert.Contains("team", change.ChangedNamespaces);
        Assert.Equal(1, engine.Report(T)!.CollectedCount);
    }

    [Fact]
    public void Unchanged_relist_and_unchanged_update_report_no_change()
    {
        var engine = Engine();
        engine.ReplaceObjects(ConfigMap, [Object("team", "a"), Object("team", "b")]);

        Assert.True(engine.ReplaceObjects(ConfigMap, [Object("team", "a"), Object("team", "b")]).IsEmpty);
        var relabelled = Object("team", "a");
        relabelled["metadata"]!["resourceVersion"] = "99";
        Assert.True(engine.ApplyObject(ConfigMap, relabelled).IsEmpty);
        Assert.False(engine.ApplyObject(ConfigMap, Object("team", "a", data: """{"k":"changed"}""")).IsEmpty);
    }

    [Fact]
    public void DeleteObject_removes_the_row()
    {
        var engine = Engine();
        engine.ApplyObject(ConfigMap, Object("team", "a", uid: "u"));
        var change = engine.DeleteObject(ConfigMap, "team", "a", "u");
        Assert.Equal("", Names(engine));
        Assert.Contains("team", change.ChangedNamespaces);
        Assert.True(engine.DeleteObject(ConfigMap, "team", "a", "u").IsEmpty);
    }

    [Fact]
    public void Profile_missing_then_appearing_asks_for_a_replay()
    {
        var engine = Engine(withProfile: false);
        var report = engine.Report(T)!;
        Assert.Equal(TargetCollectionState.ProfileNotFound, report.State);
        Assert.Contains("KollectProfile team/p", report.Problem, StringComparison.Ordinal);
        Assert.Empty(engine.WatchedKinds);

        var change = engine.UpsertProfile(Profile("team", "p", ConfigMap));

        Assert.Equal([ConfigMap], change.KindsToReplay);
        Assert.Contains(T, change.ChangedTargets);
        Assert.Equal(TargetCollectionState.Collecting, engine.Report(T)!.State);
        engine.ReplaceObjects(ConfigMap, [Object("team", "a")]);
        Assert.Equal("a", Names(engine));
    }

    [Fact]
    public void Removed_profile_drops_rows()
    {
        var engine = Engine();
        engine.ApplyObject(ConfigMap, Object("team", "a"));
        var change = engine.RemoveProfile("team", "p");
        Assert.Equal("", Names(engine));
        Assert.Contains("team", change.ChangedNamespaces);
        Assert.Equal(TargetCollectionState.ProfileNotFound, engine.Report(T)!.State);
    }

    [Fact]
    public void Profile_with_a_bad_path_is_InvalidSpec()
    {
        var engine = Engine();
        engine.UpsertProfile(Profile("team", "p", ConfigMap, """[{"name":"x","path":"$.a[?(@.b"}]"""));
        var report = engine.Report(T)!;
        Assert.Equal(TargetCollectionState.InvalidSpec, report.State);
        Assert.Contains("KollectProfile team/p", report.Problem, StringComparison.Ordinal);
        Assert.Contains("'x'", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_kind_change_drops_old_kind_rows_and_replays_the_new_kind()
    {
        var engine = Engine();
        engine.ApplyObject(ConfigMap, Object("team", "a"));
        var change = engine.UpsertProfile(Profile("team", "p", Deployment));
        Assert.Equal("", Names(engine));
        Assert.Equal([Deployment], change.KindsToReplay);
        Assert.Equal([Deployment], engine.WatchedKinds);
    }

    [Fact]
    public void Suspended_target_keeps_rows_and_ignores_events_until_resumed()
    {
        var engine = Engine();
        engine.ApplyObject(ConfigMap, Object("team", "a"));
        engine.UpsertTarget(Target("team", "t", """{"profileRef":"p","suspend":true}"""));

        Assert.Equal(TargetCollectionState.Suspended, engine.Report(T)!.State);
        Assert.True(engine.ReplaceObjects(ConfigMap, []).IsEmpty);
        Assert.True(engine.ApplyObject(ConfigMap, Object("team", "b")).IsEmpty);
        Assert.Equal("a", Names(engine));

        var resumed = engine.UpsertTarget(Target("team", "t"));
        Assert.Equal([ConfigMap], resumed.KindsToReplay);
        engine.ReplaceObjects(ConfigMap, [Object("team", "b")]);
        Assert.Equal("b", Names(engine));
    }

    [Fact]
    public void Same_target_twice_is_no_change_and_removal_drops_rows()
    {
        var engine = Engine();
        engine.ApplyObject(ConfigMap, Object("team", "a"));
        Assert.True(engine.UpsertTarget(Target("team", "t", generation: 5)).IsEmpty);
        var removed = engine.RemoveTarget(T);
        Assert.Contains("team", removed.ChangedNamespaces);
        Assert.Null(engine.Report(T));
        Assert.Empty(engine.RowsForNamespace("team"));
        Assert.Empty(engine.WatchedKinds);
    }

    [Fact]
    public void Objects_without_uid_are_told_apart_by_namespace_and_name()
    {
        var engine = Engine();
        var a = Object("team", "a");
        var b = Object("team", "b");
        a["metadata"]!.AsObject().Remove("uid");
        b["metadata"]!.AsObject().Remove("uid");
        engine.ReplaceObjects(ConfigMap, [a, b]);
        Assert.Equal("a,b", Names(engine));
        Assert.Equal("", engine.RowsForNamespace("team")[0].Identity.Uid);

        engine.DeleteObject(ConfigMap, "team", "a", "");
        Assert.Equal("b", Names(engine));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Targets_without_kind_are_keyed_by_whether_they_have_a_namespace(bool cluster)
    {
        var target = cluster
            ? Parse("""{"metadata":{"name":"c"},"spec":{}}""")
            : Parse("""{"metadata":{"name":"t","namespace":"team"},"spec":{"profileRef":"p"}}""");
        Assert.Equal(cluster ? TargetKey.Cluster("c") : TargetKey.Namespaced("team", "t"), CollectionEngine.KeyOf(target));
    }

    [Fact]
    public async Task Concurrent_events_from_several_threads_all_land()
    {
        var engine = Engine();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                engine.ApplyObject(ConfigMap, Object("team", $"w{w}-{i}"));
                _ = engine.RowsForNamespace("team");
                if (i % 2 == 1)
                {
                    engine.DeleteObject(ConfigMap, "team", $"w{w}-{i}", $"uid-team-w{w}-{i}");
                }
            }
        }));
        await Task.WhenAll(writers);
        Assert.Equal(400, engine.RowsForNamespace("team").Count);
        Assert.Equal(400, engine.Report(T)!.CollectedCount);
    }

    [Fact]
    public void Targets_sharing_a_kind_each_get_rows()
    {
        var engine = Engine();
        engine.UpsertTarget(Target("team", "t2"));
        engine.ApplyObject(ConfigMap, Object("team", "a"));
        Assert.Equal("t,t2", string.Join(',', engine.RowsForNamespace("team").Select(r => r.Identity.TargetName)));
    }

    /// <summary>
    /// Property: whatever events happened before, a replay of the final objects (after the final
    /// namespaces, profile and target are known) gives the rows a fresh engine computes from that
    /// final state alone.
    /// </summary>
    [Fact]
    public void Random_events_then_replay_equal_a_fresh_engine_fed_the_final_state()
    {
        string[] names = ["a", "b", "c", "d", "e"];
        string[] nsNames = ["n1", "n2", "n3"];
        string[] specs =
        [
            """{"profileRef":"p"}""",
            """{"profileRef":"p","namespaceSelector":{"matchLabels":{"env":"prod"}}}""",
            """{"profileRef":"p","watchMode":"OptIn","labelSelector":{"matchExpressions":[{"key":"app","operator":"Exists"}]}}""",
            """{"profileRef":"p","names":["a","c"],"excludedNamespaces":["n2"]}""",
        ];
        string[] labelSets = ["{}", """{"app":"x"}""", """{"kollect.dev/watch":"enabled"}""", """{"kollect.dev/watch":"disabled"}"""];
        string[] nsLabelSets = ["{}", """{"env":"prod"}""", """{"kollect.dev/watch":"enabled","env":"prod"}""", """{"kollect.dev/watch":"disabled"}"""];
        string[] dataSets = ["""{"k":"1"}""", """{"k":"2"}""", """{"password":"x"}"""];

        var rowsSeen = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var engine = new CollectionEngine();
            var live = new Dictionary<string, JsonObject>();
            var liveNamespaces = new Dictionary<string, JsonObject>();
            var spec = specs[0];
            var attributes = """[{"name":"data","path":"$.data"}]""";
            engine.UpsertProfile(Profile("home", "p", ConfigMap, attributes));
            engine.UpsertTarget(Target("home", "t", spec));
            for (var step = 0; step < 60; step++)
            {
                var ns = nsNames[random.Next(nsNames.Length)];
                var name = names[random.Next(names.Length)];
                switch (random.Next(7))
                {
                    case 0 or 1 or 2:
                        var obj = Object(ns, name, labels: labelSets[random.Next(labelSets.Length)], data: dataSets[random.Next(dataSets.Length)]);
                        live[$"{ns}/{name}"] = obj;
                        engine.ApplyObject(ConfigMap, obj.DeepClone().AsObject());
                        break;
                    case 3:
                        if (live.Remove($"{ns}/{name}", out var gone))
                        {
                            engine.DeleteObject(ConfigMap, ns, name, (string)gone["metadata"]!["uid"]!);
                        }
                        break;
                    case 4:
                        var nsObject = Namespace(ns, nsLabelSets[random.Next(nsLabelSets.Length)]);
                        liveNamespaces[ns] = nsObject;
                        engine.UpsertNamespace(nsObject);
                        break;
                    case 5:
                        spec = specs[random.Next(specs.Length)];
                        engine.UpsertTarget(Target("home", "t", spec));
                        break;
                    default:
                        attributes = random.Next(2) == 0 ? """[{"name":"data","path":"$.data"}]""" : """[{"name":"k","path":"cel:object.data.k"}]""";
                        engine.UpsertProfile(Profile("home", "p", ConfigMap, attributes));
                        break;
                }
            }
            engine.ReplaceObjects(ConfigMap, live.Values.Select(o => o.DeepClone().AsObject()));

            var fresh = new CollectionEngine();
            foreach (var nsObject in liveNamespaces.Values)
            {
                fresh.UpsertNamespace(nsObject);
            }
            fresh.UpsertProfile(Profile("home", "p", ConfigMap, attributes));
            fresh.UpsertTarget(Target("home", "t", spec));
            fresh.ReplaceObjects(ConfigMap, live.Values);

            Assert.Equal(
                fresh.RowsForNamespace("home").Select(r => r.ToString()),
                engine.RowsForNamespace("home").Select(r => r.ToString()));
            var expected = fresh.Report(TargetKey.Namespaced("home", "t"))!;
            var actual = engine.Report(TargetKey.Namespaced("home", "t"))!;
            Assert.Equal(expected.CollectedCount, actual.CollectedCount);
            Assert.Equal(expected.ExtractionFailures, actual.ExtractionFailures);
            Assert.Equal(expected.EffectiveNamespaces, actual.EffectiveNamespaces);
            rowsSeen += actual.CollectedCount;
        }
        // The sequences must exercise collection, not compare two empty engines.
        Assert.True(rowsSeen > 40, $"only {rowsSeen} rows over all seeds");
    }
}
