using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>Access to <c>metadata</c> fields of objects held as JSON.</summary>
internal static class Meta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string? String(JsonObject obj, string field) =>
        obj["metadata"] is JsonObject meta && meta[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static long Generation(JsonObject obj) =>
        obj["metadata"] is JsonObject meta && meta["generation"] is JsonValue v ? Long(v) ?? 0 : 0;

    /// <summary>An integer JSON value whatever CLR type backs the node (parsed, or created from an int or a long).</summary>
    public static long? Long(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        obj["metadata"] is JsonObject meta && meta["finalizers"] is JsonArray a
            ? a.Select(f => f?.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : "").ToList()
            : [];

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"] is JsonObject meta && meta["labels"] is JsonObject l)
        {
            foreach (var (k, v) in l)
            {
                labels[k] = v?.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v?.ToJsonString() ?? "";
            }
        }

        return labels;
    }

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rv(long rv) => rv.ToString(CultureInfo.InvariantCulture);

    /// <summary>Copies <paramref name="field"/> of <paramref name="from"/>'s metadata onto <paramref name="to"/> (or removes it there).</summary>
    public static void Keep(JsonObject from, JsonObject to, string field)
    {
        var value = Of(from)[field];
        if (value is null)
        {
            Of(to).Remove(field);
        }
        else
        {
            Of(to)[field] = value.DeepClone();
        }
    }

    /// <summary>Copies a top-level field (e.g. <c>status</c>) of <paramref name="from"/> onto <paramref name="to"/>, or removes it.</summary>
    public static void KeepTop(JsonObject from, JsonObject to, string field)
    {
        var value = from[field];
        if (value is null)
        {
            to.Remove(field);
        }
        else
        {
            to[field] = value.DeepClone();
        }
    }
}
