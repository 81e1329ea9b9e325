namespace Kollect.Operator.Runtime;

/// <summary>What changed about a cached object.</summary>
public enum InformerEventType
{
    Added,
    Modified,
    Deleted,
}
