using System.Globalization;
using System.Text.Json.Nodes;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>JSON merge patch (RFC 7386) and JSON patch (RFC 6902) over <see cref="JsonNode"/>s.</summary>
internal static class Patching
{
    public const string MergePatch = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    /// <summary>RFC 7386: objects merge key by key, <c>null</c> removes, anything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? t : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var existing = result[key] as JsonObject;
                var merged = Merge(existing, value);
                if (!ReferenceEquals(merged, existing))
                {
                    result[key] = merged;
                }
            }
        }

        return result;
    }

    /// <summary>RFC 6902: add, remove, replace, move, copy, test; a failing operation throws (422, as Kubernetes answers).</summary>
    public static JsonNode ApplyJsonPatch(JsonNode document, JsonNode? patch, Func<string, ApiException> invalid)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("a JSON patch must be a JSON array of operations");
        }

        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op || op["op"] is not JsonValue opName || op["path"] is not JsonValue pathValue)
            {
                throw ApiException.BadRequest("each JSON patch operation needs \"op\" and \"path\"");
            }

            var path = pathValue.GetValue<string>();
            switch (opName.GetValue<string>())
            {
                case "add":
                    Add(root, path, op["value"]?.DeepClone(), invalid);
                    break;
                case "remove":
                    Remove(root, path, invalid);
                    break;
                case "replace":
                    Remove(root, path, invalid);
                    Add(root, path, op["value"]?.DeepClone(), invalid);
                    break;
                case "move":
                    {
                        var from = From(op);
                        var value = Remove(root, from, invalid);
                        Add(root, path, value, invalid);
                        break;
                    }

                case "copy":
                    Add(root, path, Find(root, From(op), invalid)?.DeepClone(), invalid);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(root, path, invalid), op["value"]))
                    {
                        throw invalid($"the JSON patch test at {path} failed");
                    }

                    break;
                default:
                    throw ApiException.BadRequest($"unknown JSON patch operation \"{opName}\"");
            }
        }

        return root["doc"] ?? throw invalid("the JSON patch removed the whole document");
    }

    private static string From(JsonObject op) =>
        op["from"] is JsonValue v ? v.GetValue<string>() : throw ApiException.BadRequest("a move or copy operation needs \"from\"");

    private static (JsonNode Parent, string Token) Locate(JsonObject root, string pointer, Func<string, ApiException> invalid)
    {
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            throw invalid($"invalid JSON pointer {pointer}");
        }

        var tokens = ("/doc" + pointer).Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        JsonNode current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Child(current, tokens[i]) ?? throw invalid($"the path {pointer} does not exist");
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o[token],
        JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Find(JsonObject root, string pointer, Func<string, ApiException> invalid)
    {
        var (parent, token) = Locate(root, pointer, invalid);
        return Child(parent, token);
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value, Func<string, ApiException> invalid)
    {
        var (parent, token) = Locate(root, pointer, invalid);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a when token == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw invalid($"cannot add at {pointer}");
        }
    }

    private static JsonNode? Remove(JsonObject root, string pointer, Func<string, ApiException> invalid)
    {
        var (parent, token) = Locate(root, pointer, invalid);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
                {
                    var value = o[token];
                    o.Remove(token);
                    return value;
                }

            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                {
                    var value = a[i];
                    a.RemoveAt(i);
                    return value;
                }

            default:
                throw invalid($"the path {pointer} does not exist");
        }
    }

    /// <summary>The media type without parameters (<c>; charset=utf-8</c>), lower-cased.</summary>
    public static string MediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return "";
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }
}
