using System.Globalization;
using System.Text.Json.Nodes;
using Kollect.Api;

namespace Kollect.Operator.Runtime;

/// <summary>
/// <c>metav1.Condition</c> lists on dynamic objects (SPEC §2, §7): set a condition by type with
/// <c>observedGeneration</c>; <c>lastTransitionTime</c> changes only when <c>status</c> changes.
/// </summary>
public static class StatusConditions
{
    /// <summary>
    /// Sets the condition of <paramref name="type"/> in <paramref name="conditions"/>; returns
    /// false when nothing changed, so the caller can skip the status write (no update loops).
    /// </summary>
    public static bool Set(JsonArray conditions, string type, string status, string reason, string message, long observedGeneration, DateTimeOffset now)
    {
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        if (existing is null)
        {
            conditions.Add((JsonNode)new JsonObject
            {
                ["type"] = type,
                ["status"] = status,
                ["observedGeneration"] = observedGeneration,
                ["lastTransitionTime"] = FormatTime(now),
                ["reason"] = reason,
                ["message"] = message,
            });
            return true;
        }
        var changed = false;
        if ((string?)existing["status"] != status)
        {
            existing["status"] = status;
            existing["lastTransitionTime"] = FormatTime(now);
            changed = true;
        }
        else if (existing["lastTransitionTime"] is null)
        {
            existing["lastTransitionTime"] = FormatTime(now);
            changed = true;
        }
        changed |= SetIfDifferent(existing, "reason", reason);
        changed |= SetIfDifferent(existing, "message", message);
        if (existing["observedGeneration"] is not JsonValue g || !g.TryGetValue<long>(out var seen) || seen != observedGeneration)
        {
            existing["observedGeneration"] = observedGeneration;
            changed = true;
        }
        return changed;
    }

    /// <summary>The typed form of <see cref="Set(JsonArray, string, string, string, string, long, DateTimeOffset)"/>, same rules.</summary>
    public static bool Set(List<Condition> conditions, string type, string status, string reason, string message, long observedGeneration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new Condition { Type = type, Status = status, ObservedGeneration = observedGeneration, LastTransitionTime = Truncate(now), Reason = reason, Message = message });
            return true;
        }

        var changed = existing.Status != status || existing.Reason != reason || existing.Message != message || existing.ObservedGeneration != observedGeneration;
        if (existing.Status != status)
        {
            existing.LastTransitionTime = Truncate(now);
        }

        (existing.Status, existing.Reason, existing.Message, existing.ObservedGeneration) = (status, reason, message, observedGeneration);
        return changed;
    }

    public static JsonObject? Find(JsonArray? conditions, string type) =>
        conditions?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    /// <summary>RFC 3339 in seconds, UTC, as the API server stores <c>metav1.Time</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // metav1.Time has whole seconds; a finer time would differ from what the API server gives back.
    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static bool SetIfDifferent(JsonObject condition, string name, string value)
    {
        if ((string?)condition[name] == value)
        {
            return false;
        }
        condition[name] = value;
        return true;
    }
}
