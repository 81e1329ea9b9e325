using Kollect.Api;
using Kollect.Operator.Json;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// The operator's JSON context is written by hand downstream of the generated models (CONVENTIONS
/// §7); this proves it covers every generated kind and list, so a new CRD cannot be forgotten.
/// </summary>
public sealed class JsonContextCoverageTests
{
    [Fact]
    public void Every_kind_and_its_list_has_source_generated_type_info()
    {
        Assert.Equal(8, KollectKinds.All.Count);
        foreach (var kind in KollectKinds.All)
        {
            Assert.True(KollectJsonContext.Default.GetTypeInfo(kind.ClrType) is not null, $"KollectJsonContext lacks [JsonSerializable(typeof({kind.ClrType.Name}))]");
            Assert.True(KollectJsonContext.Default.GetTypeInfo(kind.ListClrType) is not null, $"KollectJsonContext lacks [JsonSerializable(typeof({kind.ListClrType.Name}))]");
        }
    }

    [Fact]
    public void Kinds_carry_the_names_their_crds_declare()
    {
        var sink = KollectKinds.Find("kollect.dev/v1alpha1", "KollectEventSink");

        Assert.NotNull(sink);
        Assert.Equal("kollecteventsinks", sink.Plural);
        Assert.Equal("kollecteventsink", sink.Singular);
        Assert.Equal("KollectEventSinkList", sink.ListKind);
        Assert.Equal(["kevt"], sink.ShortNames);
        Assert.True(sink.Namespaced);
        Assert.Equal("kollect.dev/v1alpha1", sink.ApiVersion);
        Assert.False(KollectKinds.Find("kollect.dev/v1alpha1", "KollectClusterInventory")!.Namespaced);
        Assert.Null(KollectKinds.Find("kollect.dev/v1", "KollectEventSink"));
        Assert.Equal("kollectclusterinventories", Kollect.Api.V1Alpha1.KollectClusterInventory.Plural);
    }
}
