using System.Text.Json.Nodes;

namespace Kollect.Operator.Runtime;

/// <summary>
/// Takes one LIST from an <see cref="ObjectStream"/> a page at a time, so a large collection is
/// never held whole (SPEC §3, §7 pagination). <see cref="Complete"/> follows the last page; a LIST
/// that fails half-way is simply abandoned and a new receiver gets the next one.
/// </summary>
public interface IObjectListReceiver
{
    void Page(IReadOnlyList<JsonObject> items);

    void Complete();
}
