using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HpcK8s.Core.Tests.Crd;

/// <summary>
/// The structural part of Kubernetes' OpenAPI v3 validation, enough to check manifests against the CRD the way
/// the API server does with strict field validation (unknown fields rejected). CEL rules are not evaluated here;
/// the same rules live in JobValidator, and the tests check both reject the same manifests.
/// </summary>
internal static class StructuralSchema
{
    public static List<string> Validate(YamlNode schema, YamlNode value, string path = "")
    {
        var errors = new List<string>();
        Check((YamlMappingNode)schema, value, path, errors);
        return errors;
    }

    private static void Check(YamlMappingNode schema, YamlNode value, string path, List<string> errors)
    {
        var type = Scalar(schema, "type");
        var kind = KindOf(value);
        if (type is not null && !(type == kind || (type == "number" && kind == "integer")))
        {
            errors.Add($"{path}: expected {type}, got {kind}");
            return;
        }

        if (value is YamlMappingNode map)
        {
            var properties = schema.Children.TryGetValue("properties", out var p) ? (YamlMappingNode)p : null;
            var additional = schema.Children.TryGetValue("additionalProperties", out var a) ? a as YamlMappingNode : null;
            foreach (var (keyNode, child) in map.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value!;
                var childPath = path.Length == 0 ? key : $"{path}.{key}";
                if (properties is not null && properties.Children.TryGetValue(key, out var childSchema))
                {
                    Check((YamlMappingNode)childSchema, child, childPath, errors);
                }
                else if (additional is not null)
                {
                    Check(additional, child, childPath, errors);
                }
                else if (properties is not null)
                {
                    errors.Add($"{childPath}: unknown field");
                }
            }

            if (schema.Children.TryGetValue("required", out var required))
            {
                foreach (var name in ((YamlSequenceNode)required).Children.Cast<YamlScalarNode>().Select(n => n.Value!))
                {
                    if (!map.Children.ContainsKey(name))
                    {
                        errors.Add($"{(path.Length == 0 ? name : $"{path}.{name}")}: required");
                    }
                }
            }

            if (Number(schema, "maxProperties") is { } maxProperties && map.Children.Count > maxProperties)
            {
                errors.Add($"{path}: more than {maxProperties} properties");
            }
        }
        else if (value is YamlSequenceNode list && schema.Children.TryGetValue("items", out var items))
        {
            var i = 0;
            foreach (var item in list.Children)
            {
                Check((YamlMappingNode)items, item, $"{path}[{i++}]", errors);
            }
        }
        else if (value is YamlScalarNode scalar)
        {
            var text = scalar.Value ?? "";
            if (schema.Children.TryGetValue("enum", out var allowed) && !((YamlSequenceNode)allowed).Children.Cast<YamlScalarNode>().Any(n => n.Value == text))
            {
                errors.Add($"{path}: '{text}' is not one of the allowed values");
            }

            if (kind == "integer")
            {
                var number = long.Parse(text, CultureInfo.InvariantCulture);
                if (Number(schema, "minimum") is { } min && number < min)
                {
                    errors.Add($"{path}: below the minimum {min}");
                }

                if (Number(schema, "maximum") is { } max && number > max)
                {
                    errors.Add($"{path}: above the maximum {max}");
                }
            }

            if (kind == "string")
            {
                if (Number(schema, "maxLength") is { } maxLength && text.Length > maxLength)
                {
                    errors.Add($"{path}: longer than {maxLength}");
                }

                if (Number(schema, "minLength") is { } minLength && text.Length < minLength)
                {
                    errors.Add($"{path}: shorter than {minLength}");
                }

                if (Scalar(schema, "pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                {
                    errors.Add($"{path}: does not match {pattern}");
                }
            }
        }
    }

    // How the API server types a YAML value (YAML 1.2 core schema: quoted scalars are strings).
    private static string KindOf(YamlNode node) => node switch
    {
        YamlMappingNode => "object",
        YamlSequenceNode => "array",
        YamlScalarNode { Style: not ScalarStyle.Plain } => "string",
        YamlScalarNode { Value: "true" or "false" } => "boolean",
        YamlScalarNode s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => "integer",
        YamlScalarNode s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "number",
        YamlScalarNode { Value: null or "" or "null" or "~" } => "null",
        _ => "string",
    };

    private static string? Scalar(YamlMappingNode schema, string key) =>
        schema.Children.TryGetValue(key, out var node) ? ((YamlScalarNode)node).Value : null;

    private static long? Number(YamlMappingNode schema, string key) =>
        Scalar(schema, key) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;
}
