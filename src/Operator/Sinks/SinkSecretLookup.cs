namespace Kollect.Operator.Sinks;

/// <summary>
/// Finds a Secret's data by namespace and name: the CLI reads it from local manifests, the
/// reconciler from the API server. Returns null when the Secret does not exist. Values are the
/// decoded bytes of <c>data</c> (and <c>stringData</c>), never printed (SPEC §6.5).
/// </summary>
public delegate IReadOnlyDictionary<string, byte[]>? SinkSecretLookup(string @namespace, string name);
