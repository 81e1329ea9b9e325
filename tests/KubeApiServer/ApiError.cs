using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// A failure that the server answers with a <c>metav1.Status</c> object, shaped like
/// kube-apiserver's (kubectl prints <c>message</c> and reads <c>reason</c>/<c>details</c>).
/// </summary>
public sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    public JsonObject ToStatus() => BuildStatus(Code, Reason, Message, Details);

    public static JsonObject BuildStatus(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details.DeepClone();
        }
        status["code"] = code;
        return status;
    }

    public static JsonObject DetailsFor(ApiResourceType type, string? name)
    {
        var details = new JsonObject();
        if (name is not null)
        {
            details["name"] = name;
        }
        details["group"] = type.Group;
        details["kind"] = type.Plural;
        return details;
    }

    public static ApiError NotFound(ApiResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", DetailsFor(type, name));

    public static ApiError AlreadyExists(ApiResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", DetailsFor(type, name));

    public static ApiError Conflict(ApiResourceType type, string name, string why) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": {why}",
            DetailsFor(type, name));

    /// <summary>401 for a request whose credentials name no known user.</summary>
    public static ApiError Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>403 worded as kube-apiserver's <c>forbiddenMessage</c> + <c>NewForbidden</c>.</summary>
    public static ApiError Forbidden(RequestAttributes request)
    {
        if (!request.IsResourceRequest)
        {
            return new ApiError(403, "Forbidden", $"forbidden: User \"{request.User.Name}\" cannot {request.Verb} path \"{request.Path}\"", new JsonObject());
        }
        var scope = request.Namespace.Length > 0 ? $"in the namespace \"{request.Namespace}\"" : "at the cluster scope";
        var why = $"User \"{request.User.Name}\" cannot {request.Verb} resource \"{request.ResourceWithSubresource}\" in API group \"{request.ApiGroup}\" {scope}";
        var qualified = request.ApiGroup.Length == 0 ? request.Resource : $"{request.Resource}.{request.ApiGroup}";
        var details = new JsonObject();
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }
        if (request.ApiGroup.Length > 0)
        {
            details["group"] = request.ApiGroup;
        }
        details["kind"] = request.Resource;
        var message = request.Name.Length > 0 ? $"{qualified} \"{request.Name}\" is forbidden: {why}" : $"{qualified} is forbidden: {why}";
        return new ApiError(403, "Forbidden", message, details);
    }

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Expired(string message) => new(410, "Expired", message);

    /// <summary>422 with one cause per field error, as kube-apiserver's <c>NewInvalid</c>.</summary>
    public static ApiError Invalid(ApiResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var details = DetailsFor(type, name);
        details["kind"] = type.Kind;
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = error.CauseType,
                ["message"] = error.Describe(),
                ["field"] = error.Field,
            });
        }
        details["causes"] = causes;
        var joined = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return new ApiError(422, "Invalid", $"{type.Kind}.{type.Group} \"{name}\" is invalid: {joined}", details);
    }
}
