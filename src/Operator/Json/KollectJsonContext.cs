using System.Text.Json.Serialization;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Json;

/// <summary>
/// Source-generated JSON for every kind of the Kollect API and its list. It lives here, downstream
/// of Kollect.Api, because the System.Text.Json generator cannot see types another generator emits
/// in the same compilation (dotnet/roslyn#57239; CONVENTIONS §7). A unit test checks that every
/// kind in <c>KollectKinds.All</c> has type info here, so a new CRD cannot be forgotten.
/// </summary>
[JsonSerializable(typeof(KollectClusterInventory))]
[JsonSerializable(typeof(KollectClusterInventoryList))]
[JsonSerializable(typeof(KollectClusterTarget))]
[JsonSerializable(typeof(KollectClusterTargetList))]
[JsonSerializable(typeof(KollectConnectionTest))]
[JsonSerializable(typeof(KollectConnectionTestList))]
[JsonSerializable(typeof(KollectDatabaseSink))]
[JsonSerializable(typeof(KollectDatabaseSinkList))]
[JsonSerializable(typeof(KollectEventSink))]
[JsonSerializable(typeof(KollectEventSinkList))]
[JsonSerializable(typeof(KollectInventory))]
[JsonSerializable(typeof(KollectInventoryList))]
[JsonSerializable(typeof(KollectProfile))]
[JsonSerializable(typeof(KollectProfileList))]
[JsonSerializable(typeof(KollectTarget))]
[JsonSerializable(typeof(KollectTargetList))]
internal sealed partial class KollectJsonContext : JsonSerializerContext;
