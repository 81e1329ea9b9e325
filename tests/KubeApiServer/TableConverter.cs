using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>): a
/// <c>meta.k8s.io/v1 Table</c> whose columns are Name plus the CRD's additionalPrinterColumns
/// (or Name and Age), dates rendered as ages the way kube-apiserver does before kubectl prints.
/// </summary>
public static class TableConverter
{
    public static bool IsTableRequested(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject Convert(ApiResourceType type, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken, DateTimeOffset now)
    {
        var columns = Columns(type);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            rows.Add(Row(columns, obj, now));
        }
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }
        var definitions = new JsonArray();
        foreach (var column in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private sealed record Column(string Name, string Type, string Format, string Description, int Priority, string JsonPath);

    private static List<Column> Columns(ApiResourceType type)
    {
        var columns = new List<Column>
        {
            new("Name", "string", "name", "Name must be unique within a namespace.", 0, ".metadata.name"),
        };
        if (type.PrinterColumns is { Count: > 0 } printerColumns)
        {
            foreach (var node in printerColumns.OfType<JsonObject>())
            {
                columns.Add(new Column(
                    (string?)node["name"] ?? "",
                    (string?)node["type"] ?? "string",
                    (string?)node["format"] ?? "",
                    (string?)node["description"] ?? "",
                    node["priority"] is JsonValue p ? p.GetValue<int>() : 0,
                    (string?)node["jsonPath"] ?? ""));
            }
            return columns;
        }
        if (type.Group == "" && type.Plural == "namespaces")
        {
            columns.Add(new Column("Status", "string", "", "The status of the namespace", 0, ".status.phase"));
        }
        columns.Add(new Column("Age", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0, ".metadata.creationTimestamp"));
        return columns;
    }

    private static JsonObject Row(List<Column> columns, JsonObject obj, DateTimeOffset now)
    {
        var cells = new JsonArray();
        foreach (var column in columns)
        {
            cells.Add(Cell(column, obj, now));
        }
        return new JsonObject { ["cells"] = cells, ["object"] = obj.DeepClone() };
    }

    private static JsonNode? Cell(Column column, JsonObject obj, DateTimeOffset now)
    {
        var matches = SimpleJsonPath.Evaluate(obj, column.JsonPath).Where(m => m is not null).ToList();
        if (matches.Count == 0)
        {
            return null;
        }
        var value = matches[0]!;
        if (column.Type == "date")
        {
            return value is JsonValue v && v.GetValueKind() == JsonValueKind.String &&
                   DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                ? HumanDuration(now - at)
                : "<unknown>";
        }
        if (matches.Count > 1)
        {
            return string.Join(",", matches.Select(Text));
        }
        return value is JsonValue ? value.DeepClone() : Text(value);
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString(KubeJson.Options) ?? "";

    /// <summary>Age text like apimachinery's <c>duration.HumanDuration</c> (<c>45s</c>, <c>3m12s</c>, <c>5h</c>, <c>2d3h</c>).</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 120)
        {
            return $"{seconds}s";
        }
        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 180)
        {
            return $"{minutes}m";
        }
        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }
        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }
        return $"{hours / 24 / 365}y";
    }
}
