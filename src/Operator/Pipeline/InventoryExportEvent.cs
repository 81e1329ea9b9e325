namespace Kollect.Operator.Pipeline;

/// <summary>
/// A Kubernetes Event the caller should record about the inventory (SPEC §7): <see cref="Type"/>
/// is <c>Normal</c> or <c>Warning</c>, <see cref="Reason"/> a CamelCase word, <see cref="Note"/>
/// names the sink and never carries a secret value (SPEC §6.5).
/// </summary>
public sealed record InventoryExportEvent(string Type, string Reason, string Note)
{
    /// <summary>The <c>action</c> of every export Event.</summary>
    public const string Action = "Export";

    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
