using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// Calls <c>KollectKinds.Find(...).Validate/ApplyDefaults</c> in a Kollect.Api assembly that was
/// compiled by a test (its types are not the ones this test project references).
/// </summary>
internal sealed class ReflectedKollectApi(Assembly assembly)
{
    public List<string> Validate(string apiVersion, string kind, string json)
    {
        var definition = Find(apiVersion, kind);
        var errorType = assembly.GetType("Kollect.Api.FieldError", throwOnError: true)!;
        var errors = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(errorType))!;
        using var document = JsonDocument.Parse(json);
        definition.GetType().GetMethod("Validate")!.Invoke(definition, [document.RootElement, errors]);
        return errors.Cast<object>().Select(e => e.ToString()!).ToList();
    }

    public string ApplyDefaults(string apiVersion, string kind, string json)
    {
        var definition = Find(apiVersion, kind);
        var node = JsonNode.Parse(json)!.AsObject();
        definition.GetType().GetMethod("ApplyDefaults")!.Invoke(definition, [node]);
        return node.ToJsonString();
    }

    private object Find(string apiVersion, string kind)
    {
        var kinds = assembly.GetType("Kollect.Api.KollectKinds", throwOnError: true)!;
        return kinds.GetMethod("Find")!.Invoke(null, [apiVersion, kind])
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no kind {apiVersion}/{kind}.");
    }
}
