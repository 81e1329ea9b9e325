using System.Text.Json;
using Kollect.Api;
using Kollect.Operator.Json;

namespace Kollect.Operator.Validation;

/// <summary>Kubernetes label selector rules (<c>matchLabels</c>, <c>matchExpressions</c>) and emptiness.</summary>
public static class LabelSelectorRules
{
    private static readonly string[] Operators = ["In", "NotIn", "Exists", "DoesNotExist"];

    /// <summary>True when the selector is absent or selects with neither matchLabels nor matchExpressions.</summary>
    public static bool IsEmpty(JsonElement selector) =>
        !JsonFields.IsObject(selector) ||
        (CountProperties(JsonFields.Get(selector, "matchLabels")) == 0 && JsonFields.Count(JsonFields.Get(selector, "matchExpressions")) == 0);

    /// <summary>Checks a selector object at <paramref name="path"/>.</summary>
    public static void Check(JsonElement selector, string path, ValidationReport report)
    {
        if (!JsonFields.IsObject(selector))
        {
            return;
        }

        CheckMatchLabels(JsonFields.Get(selector, "matchLabels"), path + ".matchLabels", report);
        CheckMatchExpressions(JsonFields.Get(selector, "matchExpressions"), path + ".matchExpressions", report);
    }

    /// <summary>Checks a typed selector at <paramref name="path"/> (absent: nothing to check).</summary>
    public static void Check(LabelSelector? selector, string path, ValidationReport report)
    {
        if (selector is not null)
        {
            CheckParts(selector, path, report);
        }
    }

    /// <summary>Checks <c>matchLabels</c> and <c>matchExpressions</c> found at <paramref name="path"/>.</summary>
    public static void CheckParts(LabelSelector selector, string path, ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var element = JsonSerializer.SerializeToElement(selector, KollectJsonContext.Default.LabelSelector);
        CheckMatchLabels(JsonFields.Get(element, "matchLabels"), path + ".matchLabels", report);
        CheckMatchExpressions(JsonFields.Get(element, "matchExpressions"), path + ".matchExpressions", report);
    }

    /// <summary>Checks a <c>matchLabels</c> map.</summary>
    public static void CheckMatchLabels(JsonElement labels, string path, ValidationReport report)
    {
        if (!JsonFields.IsObject(labels))
        {
            return;
        }

        foreach (var label in labels.EnumerateObject())
        {
            if (KubernetesNames.CheckQualifiedName(label.Name) is { } keyProblem)
            {
                report.Error(path, FieldMessages.Invalid(label.Name, "label key: " + keyProblem));
            }

            if (label.Value.ValueKind == JsonValueKind.String && KubernetesNames.CheckLabelValue(label.Value.GetString()!) is { } valueProblem)
            {
                report.Error($"{path}[{label.Name}]", FieldMessages.Invalid(label.Value.GetString()!, valueProblem));
            }
        }
    }

    /// <summary>Checks a <c>matchExpressions</c> list: key syntax, operator, and the values each operator needs.</summary>
    public static void CheckMatchExpressions(JsonElement expressions, string path, ValidationReport report)
    {
        foreach (var (index, expression) in JsonFields.Items(expressions))
        {
            var itemPath = $"{path}[{index}]";
            var key = JsonFields.GetString(expression, "key");
            if (key is not null && KubernetesNames.CheckQualifiedName(key) is { } keyProblem)
            {
                report.Error(itemPath + ".key", FieldMessages.Invalid(key, keyProblem));
            }

            var op = JsonFields.GetString(expression, "operator");
            var values = JsonFields.Get(expression, "values");
            var valueCount = JsonFields.Count(values);
            switch (op)
            {
                case null:
                    break;
                case "In" or "NotIn":
                    if (valueCount == 0)
                    {
                        report.Error(itemPath + ".values", FieldMessages.Required($"must be non-empty when operator is {op}"));
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (valueCount > 0)
                    {
                        report.Error(itemPath + ".values", FieldMessages.Forbidden($"may not be specified when operator is {op}"));
                    }

                    break;
                default:
                    report.Error(itemPath + ".operator", FieldMessages.NotSupported(op, Operators));
                    break;
            }

            foreach (var (valueIndex, value) in JsonFields.Items(values))
            {
                if (value.ValueKind == JsonValueKind.String && KubernetesNames.CheckLabelValue(value.GetString()!) is { } valueProblem)
                {
                    report.Error($"{itemPath}.values[{valueIndex}]", FieldMessages.Invalid(value.GetString()!, valueProblem));
                }
            }
        }
    }

    private static int CountProperties(JsonElement obj) => JsonFields.IsObject(obj) ? obj.EnumerateObject().Count() : 0;
}
