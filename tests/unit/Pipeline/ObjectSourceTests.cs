using Kollect.Operator.Kube;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Validation;

namespace Kollect.Tests.Unit.Pipeline;

/// <summary>Objects read from manifests for <c>kollect export --objects</c> (SPEC §8).</summary>
public sealed class ObjectSourceTests
{
    [Fact]
    public void Manifests_without_a_uid_get_distinct_uids_that_are_the_same_on_every_read()
    {
        var directory = Directory.CreateTempSubdirectory("kollect-objects-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "profile.yaml"), """
                apiVersion: kollect.dev/v1alpha1
                kind: KollectProfile
                metadata: {name: settings, namespace: team}
                spec:
                  targetGVK: {group: "", version: v1, kind: ConfigMap}
                  attributes: [{name: data, path: $.data}]
                """);
            File.WriteAllText(Path.Combine(directory.FullName, "objects.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a, namespace: team}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: b, namespace: team}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: kept, namespace: team, uid: 0b9e7c1e-4a64-4a8e-9d8a-2f4c1a7d5e10}
                """);

            var first = Uids(directory.FullName);
            var second = Uids(directory.FullName);

            Assert.Equal(first, second);
            Assert.Equal(3, first.Count);
            Assert.Equal(3, first.Distinct().Count());
            Assert.Equal("0b9e7c1e-4a64-4a8e-9d8a-2f4c1a7d5e10", first[2]);
            Assert.All(first.Take(2), uid => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", uid));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Manifest_uid_depends_on_every_part_of_the_identity()
    {
        string[] uids =
        [
            ObjectSource.ManifestUid("v1", "ConfigMap", "team", "a"),
            ObjectSource.ManifestUid("v1", "ConfigMap", "team", "b"),
            ObjectSource.ManifestUid("v1", "ConfigMap", "other", "a"),
            ObjectSource.ManifestUid("v1", "Secret", "team", "a"),
            ObjectSource.ManifestUid("apps/v1", "ConfigMap", "team", "a"),
        ];

        Assert.Equal(uids.Length, uids.Distinct().Count());
    }

    private static List<string> Uids(string directory)
    {
        var (configuration, problems) = LocalConfiguration.Load([Path.Combine(directory, "profile.yaml")], new SemanticValidator(SemanticValidationOptions.Default));
        Assert.Empty(problems);
        using var source = ObjectSource.FromManifests([Path.Combine(directory, "objects.yaml")], configuration!);
        Assert.Empty(source.Problems);
        var objects = source.ObjectsOf(new GroupVersionKind("", "v1", "ConfigMap"), CancellationToken.None).GetAwaiter().GetResult();
        return objects.Select(o => KubeObjects.Uid(o)!).ToList();
    }
}
