using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// One served resource (a group/version/plural) with what discovery, validation and printing
/// need. Built-ins are fixed; custom resources come from an established CRD.
/// </summary>
public sealed record ApiResourceType(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories)
{
    /// <summary>The CRD version's <c>openAPIV3Schema</c>; null for built-ins (no schema checks).</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>The CRD version's <c>additionalPrinterColumns</c>; null means Name and Age.</summary>
    public JsonArray? PrinterColumns { get; init; }

    /// <summary>True when a <c>/status</c> subresource is served.</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>True for ServiceAccounts: <c>/token</c> (TokenRequest, create only) is served.</summary>
    public bool HasTokenSubresource { get; init; }

    /// <summary>The CRD that defines this type, or null for built-ins.</summary>
    public string? CrdName { get; init; }

    public bool IsCustom => CrdName is not null;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>Resource name as kube-apiserver prints it in messages: <c>plural.group</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Key of the storage bucket: all versions of a group/resource share objects.</summary>
    public string StorageKey => $"{Group}/{Plural}";
}
