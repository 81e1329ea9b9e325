namespace Kollect.Tests.Unit.Crds;

/// <summary>How a schema keyword differs between our CRD and the golden schema.</summary>
public enum SchemaChange
{
    /// <summary>Present in our CRD only.</summary>
    Added,

    /// <summary>Present in the golden schema only.</summary>
    Removed,

    /// <summary>Present in both with different values.</summary>
    Changed,

    /// <summary>Allow-list only: every difference at the node is allowed because we replace the node on purpose.</summary>
    Replaced,
}
