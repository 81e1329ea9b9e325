using Kollect.Operator.Collect;
using static Kollect.Tests.Unit.Collect.Engine.EngineObjects;

namespace Kollect.Tests.Unit.Collect.Engine;

/// <summary>SPEC §3 effective namespaces: include ∩ selector − exclude − exclude selector − opted out; OptIn keeps only opted in.</summary>
public sealed class NamespaceResolutionTests
{
    private static CollectionEngine EngineWithNamespaces()
    {
        var engine = new CollectionEngine();
        engine.UpsertNamespace(Namespace("a", """{"env":"prod"}"""));
        engine.UpsertNamespace(Namespace("b", """{"env":"dev"}"""));
        engine.UpsertNamespace(Namespace("c", """{"env":"prod","kollect.dev/watch":"disabled"}"""));
        engine.UpsertNamespace(Namespace("d", """{"env":"prod"}""", """{"kollect.dev/namespace-watch":"disabled"}"""));
        engine.UpsertNamespace(Namespace("e", """{"env":"prod","kollect.dev/watch":"enabled"}"""));
        engine.UpsertNamespace(Namespace("f", """{"env":"prod","tier":"restricted"}"""));
        engine.UpsertNamespace(Namespace("g", "{}", """{"kollect.dev/namespace-watch":"enabled"}"""));
        engine.UpsertProfile(Profile("a", "p", ConfigMap));
        return engine;
    }

    [Theory]
    [InlineData("""{"profileRef":"p"}""", "a,b,c,d,e,f,g", "a,b,e,f,g")]
    [InlineData("""{"profileRef":"p","includedNamespaces":["a","b","c"]}""", "a,b,c", "a,b")]
    [InlineData("""{"profileRef":"p","namespaceSelector":{"matchLabels":{"env":"prod"}}}""", "a,c,d,e,f", "a,e,f")]
    [InlineData("""{"profileRef":"p","includedNamespaces":["a","b"],"namespaceSelector":{"matchLabels":{"env":"prod"}}}""", "a", "a")]
    [InlineData("""{"profileRef":"p","namespaceSelector":{"matchLabels":{"env":"prod"}},"excludedNamespaces":["a"]}""", "a,c,d,e,f", "e,f")]
    [InlineData("""{"profileRef":"p","namespaceSelector":{"matchLabels":{"env":"prod"}},"namespaceExcludeSelector":{"matchExpressions":[{"key":"tier","operator":"Exists"}]}}""", "a,c,d,e,f", "a,e")]
    [InlineData("""{"profileRef":"p","watchMode":"OptIn"}""", "a,b,c,d,e,f,g", "e,g")]
    [InlineData("""{"profileRef":"p","watchMode":"OptIn","namespaceSelector":{"matchLabels":{"env":"prod"}}}""", "a,c,d,e,f", "e")]
    [InlineData("""{"profileRef":"p","includedNamespaces":["zz"]}""", "", "")]
    public void Matched_and_effective_namespaces(string spec, string matched, string effective)
    {
        var engine = EngineWithNamespaces();
        engine.UpsertTarget(Target("a", "t", spec));
        var report = engine.Report(TargetKey.Namespaced("a", "t"))!;
        Assert.Equal(TargetCollectionState.Collecting, report.State);
        Assert.Equal(matched, string.Join(',', report.MatchedNamespaces));
        Assert.Equal(effective, string.Join(',', report.EffectiveNamespaces));
    }

    [Fact]
    public void Namespace_label_change_updates_sets_and_asks_for_a_replay()
    {
        var engine = EngineWithNamespaces();
        engine.UpsertTarget(Target("a", "t", """{"profileRef":"p","namespaceSelector":{"matchLabels":{"env":"prod"}}}"""));

        var change = engine.UpsertNamespace(Namespace("b", """{"env":"prod"}"""));

        Assert.Contains(ConfigMap, change.KindsToReplay);
        Assert.Contains(TargetKey.Namespaced("a", "t"), change.ChangedTargets);
        Assert.Contains("b", engine.Report(TargetKey.Namespaced("a", "t"))!.EffectiveNamespaces);
        Assert.True(engine.UpsertNamespace(Namespace("b", """{"env":"prod"}""")).IsEmpty);
    }

    [Fact]
    public void Removed_namespace_leaves_the_sets()
    {
        var engine = EngineWithNamespaces();
        engine.UpsertTarget(Target("a", "t"));
        var change = engine.RemoveNamespace("b");
        Assert.Contains(ConfigMap, change.KindsToReplay);
        Assert.DoesNotContain("b", engine.Report(TargetKey.Namespaced("a", "t"))!.MatchedNamespaces);
    }

    [Fact]
    public void Unrelated_namespace_label_asks_for_no_replay()
    {
        var engine = EngineWithNamespaces();
        engine.UpsertTarget(Target("a", "t", """{"profileRef":"p","includedNamespaces":["a"]}"""));
        var change = engine.UpsertNamespace(Namespace("b", """{"env":"qa"}"""));
        Assert.Empty(change.KindsToReplay);
        Assert.Empty(change.ChangedTargets);
    }
}
