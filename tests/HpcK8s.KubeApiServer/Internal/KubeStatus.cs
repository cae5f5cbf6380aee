using System.Text.Json.Nodes;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>The <c>v1 Status</c> objects the API server answers errors (and collection-less deletes) with.</summary>
internal static class KubeStatus
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details)
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
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(ApiResource resource, string name, string? uid)
    {
        var details = Details(resource, name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    public static JsonObject Details(ApiResource resource, string name) =>
        new() { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural };
}
