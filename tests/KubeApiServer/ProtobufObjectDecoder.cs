using System.Text;
using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// Reads the protobuf bodies kubectl's typed generators send (<c>kubectl create namespace |
/// configmap | secret | serviceaccount | token</c>): the <c>k8s\0</c> envelope around a
/// <c>runtime.Unknown</c> whose raw bytes are the object. Only the fields those commands set are
/// decoded (ObjectMeta name, generateName, namespace, labels, annotations, finalizers; ConfigMap and
/// Secret data; TokenRequest audiences and expiration); any other kind is a 415. Field numbers are
/// those of k8s.io/api's generated.proto.
/// </summary>
public static class ProtobufObjectDecoder
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw Unsupported("the protobuf body lacks the k8s envelope");
        }
        string? apiVersion = null;
        string? kind = null;
        byte[]? raw = null;
        foreach (var (field, value) in Fields(body.AsMemory(4)))
        {
            switch (field)
            {
                case 1:
                    foreach (var (typeField, typeValue) in Fields(value))
                    {
                        if (typeField == 1)
                        {
                            apiVersion = Text(typeValue);
                        }
                        else if (typeField == 2)
                        {
                            kind = Text(typeValue);
                        }
                    }
                    break;
                case 2:
                    raw = value.ToArray();
                    break;
            }
        }
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        if (apiVersion == "authentication.k8s.io/v1" && kind == "TokenRequest" && raw is not null)
        {
            return TokenRequest(obj, raw);
        }
        if (apiVersion != "v1" || kind is not ("Namespace" or "ConfigMap" or "Secret" or "ServiceAccount") || raw is null)
        {
            throw Unsupported($"protobuf bodies are decoded for v1 Namespace, ConfigMap, Secret, ServiceAccount and authentication.k8s.io/v1 TokenRequest only, not {apiVersion} {kind}");
        }
        foreach (var (field, value) in Fields(raw))
        {
            switch (kind, field)
            {
                case (_, 1):
                    obj["metadata"] = ObjectMeta(value);
                    break;
                case ("ConfigMap", 2) or ("Secret", 4):
                    AddMapEntry(obj, kind == "Secret" ? "stringData" : "data", value, base64: false);
                    break;
                case ("ConfigMap", 3) or ("Secret", 2):
                    AddMapEntry(obj, kind == "Secret" ? "data" : "binaryData", value, base64: true);
                    break;
                case ("Secret", 3) when value.Length > 0:
                    obj["type"] = Text(value);
                    break;
            }
        }
        return obj;
    }

    /// <summary><c>kubectl create token</c>: TokenRequestSpec audiences (1) and expirationSeconds (4).</summary>
    private static JsonObject TokenRequest(JsonObject obj, byte[] raw)
    {
        var spec = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            if (field == 1)
            {
                obj["metadata"] = ObjectMeta(value);
            }
            else if (field == 2)
            {
                foreach (var (specField, specValue) in Fields(value))
                {
                    if (specField == 1)
                    {
                        var audiences = spec["audiences"] as JsonArray ?? new JsonArray();
                        audiences.Add((JsonNode)Text(specValue));
                        spec["audiences"] = audiences;
                    }
                }
                if (Varints(value).TryGetValue(4, out var seconds))
                {
                    spec["expirationSeconds"] = (long)seconds;
                }
            }
        }
        obj["spec"] = spec;
        return obj;
    }

    private static JsonObject ObjectMeta(ReadOnlyMemory<byte> bytes)
    {
        var metadata = new JsonObject();
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1 when value.Length > 0:
                    metadata["name"] = Text(value);
                    break;
                case 2 when value.Length > 0:
                    metadata["generateName"] = Text(value);
                    break;
                case 3 when value.Length > 0:
                    metadata["namespace"] = Text(value);
                    break;
                case 11:
                    AddMapEntry(metadata, "labels", value, base64: false);
                    break;
                case 12:
                    AddMapEntry(metadata, "annotations", value, base64: false);
                    break;
                case 14:
                    var finalizers = metadata["finalizers"] as JsonArray ?? new JsonArray();
                    finalizers.Add((JsonNode)Text(value));
                    metadata["finalizers"] = finalizers;
                    break;
            }
        }
        return metadata;
    }

    private static void AddMapEntry(JsonObject target, string property, ReadOnlyMemory<byte> entry, bool base64)
    {
        string key = "";
        ReadOnlyMemory<byte> value = default;
        foreach (var (field, bytes) in Fields(entry))
        {
            if (field == 1)
            {
                key = Text(bytes);
            }
            else if (field == 2)
            {
                value = bytes;
            }
        }
        var map = target[property] as JsonObject ?? new JsonObject();
        map[key] = base64 ? Convert.ToBase64String(value.Span) : Text(value);
        target[property] = map;
    }

    /// <summary>The length-delimited fields of a message.</summary>
    private static List<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message) =>
        Scan(message).Where(f => f.Value is not null).Select(f => (f.Field, f.Value!.Value)).ToList();

    /// <summary>The varint fields of a message (last value wins, as in protobuf).</summary>
    private static Dictionary<int, ulong> Varints(ReadOnlyMemory<byte> message)
    {
        var varints = new Dictionary<int, ulong>();
        foreach (var (field, _, varint) in Scan(message).Where(f => f.Value is null))
        {
            varints[field] = varint;
        }
        return varints;
    }

    /// <summary>Every length-delimited (Value set) and varint (Varint set) field; fixed-size ones are skipped.</summary>
    private static List<(int Field, ReadOnlyMemory<byte>? Value, ulong Varint)> Scan(ReadOnlyMemory<byte> message)
    {
        var fields = new List<(int, ReadOnlyMemory<byte>?, ulong)>();
        var span = message.Span;
        var i = 0;
        while (i < span.Length)
        {
            var tag = ReadVarint(span, ref i);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add((field, null, ReadVarint(span, ref i)));
                    break;
                case 1:
                    i += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(span, ref i);
                    if (i + length > span.Length)
                    {
                        throw Unsupported("the protobuf body is truncated");
                    }
                    fields.Add((field, message.Slice(i, length), 0));
                    i += length;
                    break;
                case 5:
                    i += 4;
                    break;
                default:
                    throw Unsupported($"unexpected protobuf wire type {tag & 7}");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int i)
    {
        ulong result = 0;
        for (var shift = 0; i < span.Length && shift < 64; shift += 7)
        {
            var b = span[i++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
        throw Unsupported("the protobuf body has a malformed varint");
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static ApiError Unsupported(string why) => new(415, "UnsupportedMediaType",
        $"the kollect test API server could not read this protobuf body ({why}); send JSON, e.g. kubectl apply -f or kubectl create -f with a manifest");
}
