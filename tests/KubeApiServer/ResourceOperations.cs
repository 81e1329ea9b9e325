using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The API semantics, apart from HTTP: create/update/patch/delete with resourceVersion,
/// generation, uid, finalizers, namespaces, the /status subresource and CRD schema handling.
/// Every write runs under <see cref="ObjectStore.Gate"/>.
/// </summary>
public sealed partial class ResourceOperations
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private static readonly ApiResourceType NamespaceType = new("", "v1", "Namespace", "namespaces", "namespace", false, ["ns"], []);
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;

    public ResourceOperations(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _store = store;
        _registry = registry;
        _time = time;
    }

    /// <summary>What a write produced: the object, and warnings for the <c>Warning</c> header.</summary>
    public sealed record WriteResult(JsonObject Object, int StatusCode, IReadOnlyList<string> Warnings);

    /// <summary>How a request asked unknown fields to be treated (<c>fieldValidation</c>).</summary>
    public enum FieldValidation
    {
        Ignore,
        Warn,
        Strict,
    }

    public void EnsureInitialNamespaces()
    {
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Create(NamespaceType, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, FieldValidation.Strict, dryRun: false);
        }
    }

    public JsonObject Get(ApiResourceType type, string? ns, string name) =>
        _store.Get(type.StorageKey, ns, name) ?? throw ApiError.NotFound(type, name);

    public sealed record ListPage(List<JsonObject> Items, string ResourceVersion, string? Continue, long? RemainingItemCount);

    /// <summary>
    /// One page of a LIST. The continue token carries the list's resourceVersion, how many objects
    /// earlier pages returned and the last key returned; the next page seeks past that key.
    /// As kube-apiserver does, remainingItemCount is given only without label or field selectors.
    /// </summary>
    public ListPage List(ApiResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        long? listRv = null;
        long returnedBefore = 0;
        string? after = null;
        if (!string.IsNullOrEmpty(continueToken))
        {
            var token = DecodeContinue(continueToken);
            (listRv, returnedBefore, after) = (token.Rv, token.Returned, token.After);
            if (token.Rv < _store.OldestWatchableResourceVersion)
            {
                throw ApiError.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.");
            }
        }
        var page = _store.ListPage(type.StorageKey, ns, after, Math.Max(limit, 0), o => labels.Matches(o) && fields.Matches(o));
        var rv = listRv ?? page.ResourceVersion;
        if (!page.More)
        {
            return new ListPage(page.Items, Rv(rv), null, null);
        }
        var returned = returnedBefore + page.Items.Count;
        long? remaining = labels.IsEverything && fields.IsEverything ? Math.Max(page.ScopeCount - returned, 1) : null;
        return new ListPage(page.Items, Rv(rv), EncodeContinue(rv, returned, page.LastKey!), remaining);
    }

    public WriteResult Create(ApiResourceType type, string? ns, JsonNode? body, FieldValidation validation, bool dryRun)
    {
        var obj = RequireObject(body, type);
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = metadata;
        var bodyNamespace = (string?)metadata["namespace"];
        if (type.Namespaced)
        {
            if (ns is null)
            {
                throw ApiError.BadRequest("the server could not find the requested resource: a namespaced resource is created under /namespaces/{namespace}/");
            }
            if (bodyNamespace is not null && bodyNamespace.Length > 0 && bodyNamespace != ns)
            {
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }
        var warnings = new List<string>();
        lock (_store.Gate)
        {
            if (string.IsNullOrEmpty((string?)metadata["name"]))
            {
                var prefix = (string?)metadata["generateName"];
                if (string.IsNullOrEmpty(prefix))
                {
                    throw ApiError.Invalid(type, "", [new FieldError("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
                }
                string candidate;
                do
                {
                    candidate = prefix + string.Concat(Enumerable.Range(0, 5).Select(_ => GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)]));
                }
                while (_store.Get(type.StorageKey, ns, candidate) is not null);
                metadata["name"] = candidate;
            }
            var name = (string)metadata["name"]!;
            ValidateName(type, name);
            if (type.Namespaced && _store.Get(NamespaceType.StorageKey, null, ns!) is null)
            {
                throw ApiError.NotFound(NamespaceType, ns!);
            }
            if (_store.Get(type.StorageKey, ns, name) is not null)
            {
                throw ApiError.AlreadyExists(type, name);
            }
            var now = Timestamp();
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = now;
            metadata["generation"] = 1L;
            metadata.Remove("resourceVersion");
            metadata.Remove("deletionTimestamp");
            metadata.Remove("deletionGracePeriodSeconds");
            metadata.Remove("managedFields");
            if (type.HasStatusSubresource && type.IsCustom)
            {
                obj.Remove("status");
            }
            PrepareBuiltIn(type, obj, isCreate: true);
            ApplySchema(type, obj, validation, warnings);
            if (dryRun)
            {
                return new WriteResult(obj, 201, warnings);
            }
            var stored = _store.Put(type.StorageKey, obj);
            AfterWrite(type, stored);
            return new WriteResult(stored, 201, warnings);
        }
    }

    public WriteResult Update(ApiResourceType type, string? ns, string name, string? subresource, JsonNode? body, FieldValidation validation, bool dryRun)
    {
        var obj = RequireObject(body, type);
        lock (_store.Gate)
        {
            var existing = _store.Get(type.StorageKey, ns, name) ?? throw ApiError.NotFound(type, name);
            var requested = (string?)obj["metadata"]?["resourceVersion"];
            if (string.IsNullOrEmpty(requested) && type.IsCustom)
            {
                throw ApiError.Invalid(type, name, [FieldError.Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }
            return Commit(type, existing, obj, subresource, requested, validation, dryRun);
        }
    }

    public WriteResult Patch(ApiResourceType type, string? ns, string name, string? subresource, string contentType, JsonNode? patch, FieldValidation validation, bool dryRun)
    {
        lock (_store.Gate)
        {
            var existing = _store.Get(type.StorageKey, ns, name) ?? throw ApiError.NotFound(type, name);
            JsonNode? patched;
            if (contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
            {
                patched = MergePatch.Apply(existing, patch);
            }
            else if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
            {
                patched = JsonPatch.Apply(existing, patch);
            }
            else if (contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal) && !type.IsCustom)
            {
                patched = StrategicMergePatch.Apply(existing, patch);
            }
            else
            {
                throw new ApiError(415, "UnsupportedMediaType",
                    $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json{(type.IsCustom ? "" : ", application/strategic-merge-patch+json")}");
            }
            var obj = RequireObject(patched, type);
            var requested = (string?)obj["metadata"]?["resourceVersion"];
            return Commit(type, existing, obj, subresource, requested, validation, dryRun);
        }
    }

    public WriteResult Delete(ApiResourceType type, string? ns, string name, JsonNode? options, bool dryRun)
    {
        lock (_store.Gate)
        {
            var existing = _store.Get(type.StorageKey, ns, name) ?? throw ApiError.NotFound(type, name);
            var preconditions = options?["preconditions"];
            if ((string?)preconditions?["uid"] is { } uid && uid != (string?)existing["metadata"]!["uid"])
            {
                throw ApiError.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {(string?)existing["metadata"]!["uid"]}");
            }
            if ((string?)preconditions?["resourceVersion"] is { } rv && rv != (string?)existing["metadata"]!["resourceVersion"])
            {
                throw ApiError.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {(string?)existing["metadata"]!["resourceVersion"]}");
            }
            if (dryRun)
            {
                return new WriteResult(existing, 200, []);
            }
            var metadata = (JsonObject)existing["metadata"]!;
            if (metadata["finalizers"] is JsonArray { Count: > 0 })
            {
                // Finalizers turn a delete into "mark for deletion"; the last finalizer removal deletes (see Commit).
                if (metadata["deletionTimestamp"] is null)
                {
                    metadata["deletionTimestamp"] = Timestamp();
                    metadata["deletionGracePeriodSeconds"] = 0;
                    existing = _store.Put(type.StorageKey, existing);
                }
                return new WriteResult(existing, 200, []);
            }
            return new WriteResult(RemoveWithDependents(type, existing), 200, []);
        }
    }

    public List<JsonObject> DeleteCollection(ApiResourceType type, string? ns, LabelSelector labels, FieldSelector fields, bool dryRun)
    {
        var deleted = new List<JsonObject>();
        var (items, _) = _store.List(type.StorageKey, ns);
        foreach (var item in items.Where(o => labels.Matches(o) && fields.Matches(o)))
        {
            var metadata = item["metadata"]!;
            deleted.Add(Delete(type, (string?)metadata["namespace"], (string)metadata["name"]!, null, dryRun).Object);
        }
        return deleted;
    }

    /// <summary>The shared tail of update and patch: concurrency, subresource rules, generation, finalizers.</summary>
    private WriteResult Commit(ApiResourceType type, JsonObject existing, JsonObject obj, string? subresource, string? requestedRv, FieldValidation validation, bool dryRun)
    {
        var name = (string)existing["metadata"]!["name"]!;
        var existingRv = (string?)existing["metadata"]!["resourceVersion"];
        if (!string.IsNullOrEmpty(requestedRv) && requestedRv != existingRv)
        {
            throw ApiError.Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
        }
        if ((string?)obj["metadata"]?["name"] is { } bodyName && bodyName != name)
        {
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        if (subresource is not null and not "status")
        {
            throw new ApiError(404, "NotFound", $"the server could not find the requested resource (subresource {subresource})");
        }

        JsonObject next;
        if (subresource == "status")
        {
            // /status changes only status (the status strategy resets everything else).
            next = (JsonObject)existing.DeepClone();
            if (obj["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }
        else
        {
            next = (JsonObject)obj.DeepClone();
            var metadata = next["metadata"] as JsonObject ?? new JsonObject();
            next["metadata"] = metadata;
            var old = (JsonObject)existing["metadata"]!;
            foreach (var immutable in new[] { "uid", "creationTimestamp", "namespace", "name", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
            {
                if (old[immutable] is { } value)
                {
                    metadata[immutable] = value.DeepClone();
                }
                else
                {
                    metadata.Remove(immutable);
                }
            }
            metadata.Remove("managedFields");
            if (type.HasStatusSubresource)
            {
                // The main endpoint ignores status changes when /status is served.
                if (existing["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }
        }
        next["apiVersion"] = existing["apiVersion"]!.DeepClone();
        next["kind"] = existing["kind"]!.DeepClone();
        next["metadata"]!["resourceVersion"] = existingRv;

        var warnings = new List<string>();
        CarryCoreKindUpdate(type, existing, next);
        PrepareBuiltIn(type, next, isCreate: false);
        ApplySchema(type, next, validation, warnings);

        if (GenerationRelevant(type, existing) is var before && !JsonNode.DeepEquals(before, GenerationRelevant(type, next)))
        {
            next["metadata"]!["generation"] = Generation(existing) + 1;
        }

        if (JsonNode.DeepEquals(next, existing) || dryRun)
        {
            return new WriteResult(dryRun ? next : existing, 200, warnings);
        }
        if (next["metadata"]!["deletionTimestamp"] is not null && next["metadata"]!["finalizers"] is not JsonArray { Count: > 0 })
        {
            // Removing the last finalizer of an object marked for deletion completes the delete.
            return new WriteResult(RemoveWithDependents(type, next), 200, warnings);
        }
        var stored = _store.Put(type.StorageKey, next);
        AfterWrite(type, stored);
        return new WriteResult(stored, 200, warnings);
    }

    /// <summary>
    /// The part of an object whose change bumps <c>metadata.generation</c>: <c>spec</c> for custom
    /// resources and types with /status, everything but metadata and status otherwise.
    /// </summary>
    private static JsonNode? GenerationRelevant(ApiResourceType type, JsonObject obj)
    {
        if (type.IsCustom || type.HasStatusSubresource)
        {
            return obj["spec"];
        }
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private void ApplySchema(ApiResourceType type, JsonObject obj, FieldValidation validation, List<string> warnings)
    {
        if (type.Schema is null)
        {
            return;
        }
        StructuralSchema.ApplyDefaults(obj, type.Schema);
        var unknown = StructuralSchema.Prune(obj, type.Schema);
        if (unknown.Count > 0)
        {
            switch (validation)
            {
                case FieldValidation.Strict:
                    var fields = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
                    throw ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {fields}");
                case FieldValidation.Warn:
                    warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                    break;
            }
        }
        var errors = StructuralSchema.Validate(obj, type.Schema);
        if (errors.Count > 0)
        {
            throw ApiError.Invalid(type, (string?)obj["metadata"]?["name"] ?? "", errors);
        }
    }

    /// <summary>Built-in behaviour the operator may observe: CRD establishment, Secret stringData, Namespace phase.</summary>
    private void PrepareBuiltIn(ApiResourceType type, JsonObject obj, bool isCreate)
    {
        switch (type.Group, type.Plural)
        {
            case ("apiextensions.k8s.io", "customresourcedefinitions"):
                var errors = CustomResourceDefinitions.ValidateAndDefault(obj);
                if (errors.Count > 0)
                {
                    throw ApiError.Invalid(type, (string?)obj["metadata"]?["name"] ?? "", errors);
                }
                CustomResourceDefinitions.Establish(obj, _time.GetUtcNow());
                break;
            case ("", "secrets"):
                if (obj["stringData"] is JsonObject stringData)
                {
                    var data = obj["data"] as JsonObject ?? new JsonObject();
                    foreach (var (key, value) in stringData)
                    {
                        data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
                    }
                    obj["data"] = data;
                    obj.Remove("stringData");
                }
                obj["type"] ??= "Opaque";
                break;
            case ("", "namespaces"):
                var metadata = (JsonObject)obj["metadata"]!;
                var labels = metadata["labels"] as JsonObject ?? new JsonObject();
                labels["kubernetes.io/metadata.name"] = (string)metadata["name"]!;
                metadata["labels"] = labels;
                if (isCreate)
                {
                    obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                    obj["status"] = new JsonObject { ["phase"] = "Active" };
                }
                break;
            default:
                PrepareCoreKind(type, obj, isCreate);
                break;
        }
    }

    private void AfterWrite(ApiResourceType type, JsonObject stored)
    {
        if (type is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" })
        {
            _registry.SetCustomTypes((string)stored["metadata"]!["name"]!, CustomResourceDefinitions.TypesOf(stored));
        }
    }

    /// <summary>
    /// Removes an object. Deleting a namespace removes its objects at once (no Terminating phase
    /// and namespace controller here); deleting a CRD removes its custom resources and types.
    /// </summary>
    private JsonObject RemoveWithDependents(ApiResourceType type, JsonObject obj)
    {
        var name = (string)obj["metadata"]!["name"]!;
        if (type is { Group: "", Plural: "namespaces" })
        {
            foreach (var dependent in _registry.All.Where(t => t.Namespaced).Select(t => t.StorageKey).Distinct())
            {
                foreach (var item in _store.List(dependent, name).Items)
                {
                    _store.Remove(dependent, item);
                }
            }
        }
        else if (type is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" })
        {
            foreach (var customType in CustomResourceDefinitions.TypesOf(obj).Select(t => t.StorageKey).Distinct())
            {
                foreach (var item in _store.List(customType, null).Items)
                {
                    _store.Remove(customType, item);
                }
            }
            _registry.SetCustomTypes(name, []);
        }
        return _store.Remove(type.StorageKey, obj);
    }

    private static JsonObject RequireObject(JsonNode? body, ApiResourceType type)
    {
        if (body is not JsonObject obj)
        {
            throw ApiError.BadRequest($"the body of the request must be a {type.Kind} object");
        }
        obj = (JsonObject)obj.DeepClone();
        if ((string?)obj["kind"] is { } kind && kind != type.Kind)
        {
            throw ApiError.BadRequest($"the kind \"{kind}\" of the body does not match the resource {type.QualifiedResource} (kind {type.Kind})");
        }
        if ((string?)obj["apiVersion"] is { } apiVersion && apiVersion != type.ApiVersion)
        {
            throw ApiError.BadRequest($"the apiVersion \"{apiVersion}\" of the body does not match the request's {type.ApiVersion}");
        }
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        if (obj["metadata"] is not null and not JsonObject)
        {
            throw ApiError.BadRequest("metadata must be an object");
        }
        return obj;
    }

    private static void ValidateName(ApiResourceType type, string name)
    {
        if (type.Group == "rbac.authorization.k8s.io")
        {
            // RBAC names are path segments (system:discovery), not DNS subdomains.
            if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal))
            {
                throw ApiError.Invalid(type, name, [FieldError.Invalid("metadata.name", $"\"{name}\"", "may not be '.' or '..' and may not contain '/' or '%'")]);
            }
            return;
        }
        if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            throw ApiError.Invalid(type, name, [FieldError.Invalid("metadata.name", $"\"{name}\"",
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]);
        }
    }

    private static long Generation(JsonObject obj) =>
        obj["metadata"]?["generation"] is JsonValue value ? long.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : 0;

    private string Timestamp() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Rv(long rv) => rv.ToString(CultureInfo.InvariantCulture);

    private static string EncodeContinue(long rv, long returned, string afterKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{rv}|{returned}|{afterKey}")));

    private static (long Rv, long Returned, string After) DecodeContinue(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 3);
            if (parts.Length != 3)
            {
                throw new FormatException("expected resourceVersion|returned|key");
            }
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
        }
        catch (FormatException e)
        {
            throw ApiError.BadRequest($"invalid continue token: {e.Message}");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
