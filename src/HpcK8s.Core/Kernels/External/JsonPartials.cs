using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HpcK8s.Core.Kernels.External;

/// <summary>
/// How HpcK8s merges the JSON results of an external kernel's shards, without calling the app (merging happens in
/// deterministic workflow code): numbers add, strings and arrays concatenate (left shard first), objects combine
/// key by key, null is the identity. Associative, so shards merge in any tree; not commutative, so order holds.
/// </summary>
public static class JsonPartials
{
    /// <summary>Merges two partials (JSON texts) of adjacent shard ranges, <paramref name="left"/> first.</summary>
    /// <exception cref="InvalidOperationException">The two values have kinds that do not merge (e.g. a number and a string).</exception>
    public static string Merge(string left, string right)
    {
        var merged = Combine(JsonNode.Parse(left), JsonNode.Parse(right), "$");
        return merged?.ToJsonString() ?? "null";
    }

    private static JsonNode? Combine(JsonNode? left, JsonNode? right, string path)
    {
        if (left is null)
        {
            return right?.DeepClone();
        }

        if (right is null)
        {
            return left.DeepClone();
        }

        switch (left.GetValueKind(), right.GetValueKind())
        {
            case (JsonValueKind.Number, JsonValueKind.Number):
                return AddNumbers(left, right);
            case (JsonValueKind.String, JsonValueKind.String):
                return JsonValue.Create(left.GetValue<string>() + right.GetValue<string>());
            case (JsonValueKind.Array, JsonValueKind.Array):
                return new JsonArray([.. left.AsArray().Select(n => n?.DeepClone()), .. right.AsArray().Select(n => n?.DeepClone())]);
            case (JsonValueKind.Object, JsonValueKind.Object):
                var result = new JsonObject();
                foreach (var (key, value) in left.AsObject())
                {
                    result[key] = right.AsObject().TryGetPropertyValue(key, out var other) ? Combine(value, other, $"{path}.{key}") : value?.DeepClone();
                }

                foreach (var (key, value) in right.AsObject())
                {
                    if (!result.ContainsKey(key))
                    {
                        result[key] = value?.DeepClone();
                    }
                }

                return result;
            case var (a, b):
                throw new InvalidOperationException($"cannot merge shard results at {path}: a {a} and a {b}; an external kernel's shards must return values of the same shape");
        }
    }

    // Integers stay exact (as decimal, 28 digits); anything else is added as double.
    private static JsonValue AddNumbers(JsonNode left, JsonNode right)
    {
        var (l, r) = (left.ToJsonString(), right.ToJsonString());
        if (decimal.TryParse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a)
            && decimal.TryParse(r, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b))
        {
            return JsonValue.Create(a + b);
        }

        return JsonValue.Create(double.Parse(l, CultureInfo.InvariantCulture) + double.Parse(r, CultureInfo.InvariantCulture));
    }
}
