using System.Text.Json.Nodes;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>Label selectors (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>, <c>!a</c>, <c>a in (x,y)</c>, <c>a notin (x,y)</c>) and
/// the field selectors every resource supports (<c>metadata.name</c>, <c>metadata.namespace</c> with <c>=</c>, <c>==</c>, <c>!=</c>).</summary>
internal sealed class Selectors
{
    private readonly List<Func<JsonObject, bool>> _terms = [];

    public static Selectors Everything { get; } = new();

    public bool IsEverything => _terms.Count == 0;

    public bool Matches(JsonObject obj) => _terms.TrueForAll(t => t(obj));

    public static Selectors Parse(string? labelSelector, string? fieldSelector)
    {
        var selectors = new Selectors();
        foreach (var term in SplitTerms(labelSelector))
        {
            selectors._terms.Add(LabelTerm(term));
        }

        foreach (var term in SplitTerms(fieldSelector))
        {
            selectors._terms.Add(FieldTerm(term));
        }

        return selectors;
    }

    private static IEnumerable<string> SplitTerms(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            yield break;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return selector[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        yield return selector[start..].Trim();
    }

    private static Func<JsonObject, bool> LabelTerm(string term)
    {
        if (term.Length == 0)
        {
            throw ApiException.BadRequest("unable to parse requirement: empty label selector term");
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(term, @"^(\S+)\s+(in|notin)\s*\(([^)]*)\)$");
        if (setMatch.Success)
        {
            var key = setMatch.Groups[1].Value;
            var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            var negate = setMatch.Groups[2].Value == "notin";
            return o => Meta.Labels(o).TryGetValue(key, out var v) ? values.Contains(v) != negate : negate;
        }

        var (k, op, value) = SplitOperator(term);
        if (op is null)
        {
            return term.StartsWith('!')
                ? o => !Meta.Labels(o).ContainsKey(term[1..].Trim())
                : o => Meta.Labels(o).ContainsKey(term);
        }

        return op == "!="
            ? o => !Meta.Labels(o).TryGetValue(k, out var v) || v != value
            : o => Meta.Labels(o).TryGetValue(k, out var v) && v == value;
    }

    private static Func<JsonObject, bool> FieldTerm(string term)
    {
        var (field, op, value) = SplitOperator(term);
        if (op is null)
        {
            throw ApiException.BadRequest($"invalid field selector term \"{term}\": expected field=value or field!=value");
        }

        var metaField = field switch
        {
            "metadata.name" => "name",
            "metadata.namespace" => "namespace",
            _ => throw ApiException.BadRequest($"field label not supported: {field}"),
        };
        return op == "!="
            ? o => Meta.String(o, metaField) != value
            : o => Meta.String(o, metaField) == value;
    }

    private static (string Key, string? Op, string Value) SplitOperator(string term)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (term[..at].Trim(), op, term[(at + op.Length)..].Trim());
            }
        }

        return (term, null, "");
    }
}
