using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Json;

/// <summary>
/// Reads Kollect objects held as JSON (informer caches, local manifests) into their generated types,
/// once, through <see cref="KollectJsonContext"/>; an object that does not fit its type (it failed
/// schema validation) reads as null.
/// </summary>
public static class KollectModels
{
    public static KollectDatabaseSink? DatabaseSink(JsonNode? obj)
    {
        try
        {
            return obj?.Deserialize(KollectJsonContext.Default.KollectDatabaseSink);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The object read as a <see cref="KollectEventSink"/>; null when it is absent or does not fit the type.</summary>
    public static KollectEventSink? EventSink(JsonNode? obj)
    {
        try
        {
            return obj?.Deserialize(KollectJsonContext.Default.KollectEventSink);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
