using System.Text.Json.Nodes;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>A request the API server refuses; carries the Kubernetes Status it answers with.</summary>
internal sealed class ApiException : Exception
{
    public ApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public ApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    public JsonObject ToStatus() => KubeStatus.Failure(Code, Reason, Message, Details?.DeepClone().AsObject());

    public static ApiException NotFound(ApiResource resource, string name) =>
        new(404, "NotFound", $"{resource.GroupResource} \"{name}\" not found", KubeStatus.Details(resource, name));

    public static ApiException AlreadyExists(ApiResource resource, string name) =>
        new(409, "AlreadyExists", $"{resource.GroupResource} \"{name}\" already exists", KubeStatus.Details(resource, name));

    public static ApiException Conflict(ApiResource resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.GroupResource} \"{name}\": {why}", KubeStatus.Details(resource, name));

    public static ApiException Stale(ApiResource resource, string name) =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(ApiResource resource, string name, string field, string detail)
    {
        var kind = resource.Group.Length == 0 ? resource.Kind : $"{resource.Kind}.{resource.Group}";
        var details = KubeStatus.Details(resource, name);
        details["kind"] = resource.Kind;
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = detail, ["field"] = field });
        return new(422, "Invalid", $"{kind} \"{name}\" is invalid: {field}: {detail}", details);
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Expired(string message) => new(410, "Expired", message);
}
