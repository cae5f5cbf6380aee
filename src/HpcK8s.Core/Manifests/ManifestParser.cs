using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Model;
using HpcK8s.Core.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HpcK8s.Core.Manifests;

/// <summary>
/// Reads ComputeJob manifests from YAML text (one or many documents) and validates them, reporting every
/// problem with its field path and <c>file:line:col</c>. Types are checked the way the Kubernetes API
/// server checks them, so a manifest that passes here also passes <c>kubectl apply</c>.
/// </summary>
public static class ManifestParser
{
    // Metadata fields Kubernetes itself writes; accepted so that `kubectl get -o yaml` output reads back.
    private static readonly HashSet<string> IgnoredMetadata = new(StringComparer.Ordinal)
    {
        "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "finalizers", "ownerReferences", "managedFields", "generateName", "selfLink",
    };

    /// <summary>Parses and validates <paramref name="yaml"/>; <paramref name="sourceName"/> prefixes locations.</summary>
    public static ManifestParseResult Parse(string yaml, string sourceName, KernelRegistry kernels)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(kernels);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var location = $"{sourceName}:{e.Start.Line}:{e.Start.Column}";
            var reason = (e.InnerException?.Message ?? e.Message).Trim();
            return new([], [new ValidationError("", $"malformed YAML: {reason}") { Location = location }]);
        }

        var jobs = new List<ComputeJob>();
        var errors = new List<ValidationError>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            var walker = new Walker(sourceName);
            var job = walker.ReadJob(document.RootNode);
            errors.AddRange(walker.Errors);
            if (job is not null && walker.Errors.Count == 0)
            {
                errors.AddRange(JobValidator.Validate(job, kernels).Select(walker.Locate));
                jobs.Add(job);
            }
        }

        if (jobs.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ValidationError("", "no ComputeJob found: the file has no YAML documents") { Location = sourceName });
        }

        return new(jobs, errors);
    }

    private sealed class Walker(string source)
    {
        private readonly Dictionary<string, Mark> _marks = new(StringComparer.Ordinal);

        public List<ValidationError> Errors { get; } = [];

        // Gives a validation error the location of its field, or of the nearest enclosing field we saw.
        public ValidationError Locate(ValidationError error)
        {
            var path = error.Path;
            while (path.Length > 0 && !_marks.ContainsKey(path))
            {
                var dot = path.LastIndexOf('.');
                path = dot < 0 ? "" : path[..dot];
            }

            return _marks.TryGetValue(path, out var mark) ? error with { Location = Format(mark) } : error with { Location = source };
        }

        public ComputeJob? ReadJob(YamlNode root)
        {
            var map = Mapping(root, "");
            if (map is null)
            {
                return null;
            }

            var job = new ComputeJob { ApiVersion = "", Kind = "" };
            var fields = Fields(map, "", "apiVersion", "kind", "metadata", "spec", "status");
            job.ApiVersion = RequiredString(fields, map, "apiVersion", "apiVersion", "hpck8s.io/v1alpha1") ?? "";
            job.Kind = RequiredString(fields, map, "kind", "kind", "ComputeJob") ?? "";
            if (job.ApiVersion.Length > 0 && job.ApiVersion != ComputeJob.ApiVersionValue)
            {
                Error(fields["apiVersion"], "apiVersion", $"must be {ComputeJob.ApiVersionValue}, got '{job.ApiVersion}'");
            }

            if (job.Kind.Length > 0 && job.Kind != ComputeJob.KindValue)
            {
                Error(fields["kind"], "kind", $"must be {ComputeJob.KindValue}, got '{job.Kind}'");
            }

            if (fields.TryGetValue("metadata", out var metadata))
            {
                job.Metadata = ReadMetadata(metadata);
            }
            else
            {
                Error(map, "metadata", "is required: at least metadata.name");
            }

            if (fields.TryGetValue("spec", out var spec))
            {
                job.Spec = ReadSpec(spec);
            }
            else
            {
                Error(map, "spec", "is required: at least spec.kernel");
            }

            // status is written by HpcK8s; a manifest may carry one (e.g. from `kubectl get -o yaml`), it is ignored.
            return job;
        }

        private JobMetadata ReadMetadata(YamlNode node)
        {
            var result = new JobMetadata();
            var map = Mapping(node, "metadata");
            if (map is null)
            {
                return result;
            }

            var fields = Fields(map, "metadata", ["name", "namespace", "labels", "annotations", .. IgnoredMetadata]);
            result.Name = OptionalString(fields, "name", "metadata.name") ?? "";
            result.Namespace = OptionalString(fields, "namespace", "metadata.namespace");
            result.Labels = StringMap(fields, "labels", "metadata.labels");
            result.Annotations = StringMap(fields, "annotations", "metadata.annotations");
            return result;
        }

        private ComputeJobSpec ReadSpec(YamlNode node)
        {
            var spec = new ComputeJobSpec();
            var map = Mapping(node, "spec");
            if (map is null)
            {
                return spec;
            }

            var fields = Fields(map, "spec", "kernel", "parameters", "shards", "parallelism", "retry", "activeDeadlineSeconds", "suspend", "ledger", "ttlSecondsAfterFinished");
            if (fields.TryGetValue("kernel", out var kernelNode) && Mapping(kernelNode, "spec.kernel") is { } kernelMap)
            {
                var kernel = Fields(kernelMap, "spec.kernel", "name", "appId", "method");
                spec.Kernel = new KernelReference
                {
                    Name = OptionalString(kernel, "name", "spec.kernel.name"),
                    AppId = OptionalString(kernel, "appId", "spec.kernel.appId"),
                    Method = OptionalString(kernel, "method", "spec.kernel.method"),
                };
            }
            else if (!fields.ContainsKey("kernel"))
            {
                Error(map, "spec.kernel", "is required: { name: pi-digits } or { appId: my-app, method: shard }");
            }

            spec.Parameters = StringMap(fields, "parameters", "spec.parameters");
            spec.Shards = (int)(Integer(fields, "shards", "spec.shards") ?? spec.Shards);
            spec.Parallelism = (int?)Integer(fields, "parallelism", "spec.parallelism");
            spec.ActiveDeadlineSeconds = Integer(fields, "activeDeadlineSeconds", "spec.activeDeadlineSeconds");
            spec.TtlSecondsAfterFinished = Integer(fields, "ttlSecondsAfterFinished", "spec.ttlSecondsAfterFinished");
            spec.Suspend = Boolean(fields, "suspend", "spec.suspend") ?? false;
            if (fields.TryGetValue("retry", out var retryNode) && Mapping(retryNode, "spec.retry") is { } retryMap)
            {
                var retry = Fields(retryMap, "spec.retry", "maxAttempts", "backoff");
                spec.Retry = new RetrySpec
                {
                    MaxAttempts = (int)(Integer(retry, "maxAttempts", "spec.retry.maxAttempts") ?? 3),
                    Backoff = OptionalString(retry, "backoff", "spec.retry.backoff") ?? "2s",
                };
            }

            if (fields.TryGetValue("ledger", out var ledgerNode) && Mapping(ledgerNode, "spec.ledger") is { } ledgerMap)
            {
                var ledger = Fields(ledgerMap, "spec.ledger", "replicas");
                spec.Ledger = new LedgerSpec { Replicas = (int)(Integer(ledger, "replicas", "spec.ledger.replicas") ?? 3) };
            }

            return spec;
        }

        private YamlMappingNode? Mapping(YamlNode node, string path)
        {
            Remember(path, node);
            if (node is YamlMappingNode map)
            {
                return map;
            }

            Error(node, path, $"must be a mapping (key: value lines), got {Describe(node)}");
            return null;
        }

        // Collects the mapping's fields, reporting unknown and duplicate keys.
        private Dictionary<string, YamlNode> Fields(YamlMappingNode map, string path, params string[] known)
        {
            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                var fieldPath = path.Length == 0 ? key : path + "." + key;
                if (!known.Contains(key, StringComparer.Ordinal))
                {
                    var hint = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                    var expected = hint is not null ? $"did you mean '{hint}'?" : $"expected one of: {string.Join(", ", known.Where(k => !IgnoredMetadata.Contains(k)))}";
                    Error(keyNode, fieldPath, $"unknown field; {expected}");
                    continue;
                }

                // YamlDotNet rejects duplicate keys while loading, so every key here is new.
                result.Add(key, value);
                Remember(fieldPath, value);
            }

            return result;
        }

        private string? RequiredString(Dictionary<string, YamlNode> fields, YamlNode parent, string key, string path, string example)
        {
            if (!fields.ContainsKey(key))
            {
                Error(parent, path, $"is required: {example}");
                return null;
            }

            return OptionalString(fields, key, path);
        }

        private string? OptionalString(Dictionary<string, YamlNode> fields, string key, string path)
        {
            if (!fields.TryGetValue(key, out var node) || IsNull(node))
            {
                return null;
            }

            if (node is YamlScalarNode scalar && (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain || PlainType(scalar.Value!) == "string"))
            {
                return scalar.Value;
            }

            Error(node, path, $"must be a string, got {Describe(node)}");
            return null;
        }

        private Dictionary<string, string> StringMap(Dictionary<string, YamlNode> fields, string key, string path)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!fields.TryGetValue(key, out var node) || IsNull(node) || Mapping(node, path) is not { } map)
            {
                return result;
            }

            foreach (var (keyNode, valueNode) in map.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value ?? "";
                var valuePath = path + "." + name;
                Remember(valuePath, valueNode);
                if (valueNode is not YamlScalarNode scalar || IsNull(valueNode))
                {
                    Error(valueNode, valuePath, $"must be a string, got {Describe(valueNode)}");
                }
                else if (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && PlainType(scalar.Value!) != "string")
                {
                    Error(valueNode, valuePath, $"must be a string, got {Describe(valueNode)}; quote it: \"{scalar.Value}\"");
                }
                else
                {
                    result.Add(name, scalar.Value!);
                }
            }

            return result;
        }

        private long? Integer(Dictionary<string, YamlNode> fields, string key, string path)
        {
            if (!fields.TryGetValue(key, out var node) || IsNull(node))
            {
                return null;
            }

            if (node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar
                && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                if (value is < int.MinValue or > int.MaxValue && key is "shards" or "parallelism" or "maxAttempts" or "replicas")
                {
                    Error(node, path, $"must be an integer between {int.MinValue} and {int.MaxValue}, got {value}");
                    return null;
                }

                return value;
            }

            Error(node, path, $"must be an integer, got {Describe(node)}");
            return null;
        }

        private bool? Boolean(Dictionary<string, YamlNode> fields, string key, string path)
        {
            if (!fields.TryGetValue(key, out var node) || IsNull(node))
            {
                return null;
            }

            if (node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } scalar)
            {
                return scalar.Value == "true";
            }

            Error(node, path, $"must be true or false, got {Describe(node)}");
            return null;
        }

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "null" or "~" or "Null" or "NULL" };

        // How Kubernetes (YAML 1.2 core schema) types an unquoted scalar.
        private static string PlainType(string value) => value switch
        {
            "true" or "false" or "True" or "False" or "TRUE" or "FALSE" => "a boolean",
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => "an integer",
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && value.Any(char.IsDigit) => "a number",
            _ => "string",
        };

        private static string Describe(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode s when IsNull(s) => "null",
            YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when PlainType(s.Value!) != "string" => $"{PlainType(s.Value!)} ({s.Value})",
            YamlScalarNode s => $"the string '{s.Value}'",
            _ => "something else",
        };

        private void Remember(string path, YamlNode node) => _marks.TryAdd(path, node.Start);

        private void Error(YamlNode node, string path, string message) =>
            Errors.Add(new ValidationError(path, message) { Location = Format(node.Start) });

        private string Format(Mark mark) => $"{source}:{mark.Line}:{mark.Column}";
    }
}
