using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// One change in the store. <see cref="Previous"/> is the object before the change (null for
/// ADDED) so a selector watch can turn "stopped matching" into DELETED, as the watch cache does.
/// </summary>
public sealed record WatchEvent(string Type, string StorageKey, JsonObject Object, JsonObject? Previous, long ResourceVersion);
