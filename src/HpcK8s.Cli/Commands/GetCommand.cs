using System.CommandLine;
using System.Text.Json;
using HpcK8s.Cli.Kube;
using HpcK8s.Kubernetes;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s get [NAME]</c>: the ComputeJobs on the cluster as a table, or one in detail.</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "A job's metadata.name (default: all jobs in the namespace)", Arity = ArgumentArity.ZeroOrOne };
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "List the jobs of every namespace" };
        var output = new Option<string>("--output", "-o") { Description = "text (default: a table, or a detail view of NAME), json, yaml or name", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json", "yaml", "name");
        var command = new Command("get", "Show the ComputeJobs on the cluster: a table like kubectl get cj, or everything about one job") { name, allNamespaces, output };
        var kube = KubeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => GuardedCommand.RunAsync(parse, "get", async (stdout, stderr) =>
        {
            var format = parse.GetValue(output)!;
            var all = parse.GetValue(allNamespaces);
            if (parse.GetValue(name) is not null && all)
            {
                stderr.WriteLine("get: a job cannot be fetched by name across all namespaces; drop -A and give -n NAMESPACE");
                return ExitCodes.InvalidInput;
            }

            using var target = kube.Connect(parse);
            var client = new ComputeJobClient(target);
            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(name) is { } wanted)
            {
                var raw = await client.GetRawAsync(wanted, cancellationToken).ConfigureAwait(false) ?? throw new CliException(ExitCodes.Failed, client.NotFound(wanted));
                switch (format)
                {
                    case "json":
                        stdout.WriteLine(JsonText.Json(raw));
                        break;
                    case "yaml":
                        stdout.WriteLine(JsonText.ToYaml(raw));
                        break;
                    case "name":
                        stdout.WriteLine(QualifiedName(wanted));
                        break;
                    default:
                        foreach (var line in JobText.Detail(ComputeJobClient.ToJob(raw), now))
                        {
                            stdout.WriteLine(line);
                        }

                        break;
                }

                return ExitCodes.Success;
            }

            var list = await client.ListRawAsync(all, cancellationToken).ConfigureAwait(false);
            var items = list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray()] : new List<JsonElement>();
            switch (format)
            {
                case "json":
                    stdout.WriteLine(JsonText.Json(list));
                    return ExitCodes.Success;
                case "yaml":
                    stdout.WriteLine(JsonText.ToYaml(list));
                    return ExitCodes.Success;
            }

            var jobs = items.Select(ComputeJobClient.ToJob).ToList();
            if (jobs.Count == 0)
            {
                stderr.WriteLine(all ? "No resources found" : $"No resources found in {client.Namespace} namespace.");
                return ExitCodes.Success;
            }

            foreach (var line in format == "name" ? jobs.Select(j => QualifiedName(j.Metadata.Name)) : JobText.Table(jobs, all, now))
            {
                stdout.WriteLine(line);
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>How kubectl names an object: <c>computejob.hpck8s.io/NAME</c>.</summary>
    public static string QualifiedName(string name) => $"{ComputeJobResource.Kind.ToLowerInvariant()}.{ComputeJobResource.Group}/{name}";
}
