using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HpcK8s.Cli.Running;
using HpcK8s.Core.Model;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s status [NAME]</c>: the jobs of a state directory, their phase and progress.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "A job's metadata.name (default: all jobs)", Arity = ArgumentArity.ZeroOrOne };
        var stateDir = StateDirOption.Create();
        var output = new Option<string>("--output", "-o") { Description = "text or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command("status", "Show the embedded jobs in a state directory") { name, stateDir, output };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var directory = parse.GetValue(stateDir)!;
            if (!File.Exists(LocalEngineOptions.DatabasePath(directory)))
            {
                parse.InvocationConfiguration.Error.WriteLine($"{directory}: no embedded runs here (no {LocalEngineOptions.DatabasePath(directory)})");
                return ExitCodes.InvalidInput;
            }

            using var client = new LocalWorkflowClient(directory);
            var jobs = client.ListInstances().Where(i => i.ParentInstanceId is null && i.Name == ComputeJobWorkflow.WorkflowName).ToList();
            if (parse.GetValue(name) is { } wanted)
            {
                jobs = [.. jobs.Where(j => j.InstanceId == wanted)];
                if (jobs.Count == 0)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"no job named '{wanted}' in {directory}");
                    return ExitCodes.InvalidInput;
                }
            }

            var rows = jobs.Select(j => Describe(client, j)).ToList();
            if (parse.GetValue(output) == "json")
            {
                foreach (var row in rows)
                {
                    stdout.WriteLine(JsonSerializer.Serialize(row, CliJson.Options));
                }

                return ExitCodes.Success;
            }

            stdout.WriteLine($"{"NAME",-24} {"PHASE",-10} {"PROGRESS",-14} {"UPDATED",-20} RESULT");
            foreach (var row in rows)
            {
                var result = row.Result is null ? row.Reason ?? "" : Shorten(row.Result, 40);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Name,-24} {row.Phase,-10} {row.Succeeded + "/" + row.Total,-14} {row.Updated:yyyy-MM-dd HH:mm:ss} {result}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static JobStatusRow Describe(LocalWorkflowClient client, WorkflowInstanceState state)
    {
        var input = WorkflowJson.Deserialize<ComputeJobInput>(state.Input);
        var total = input?.Spec.Shards ?? 0;
        var progress = DurableJobRunner.Sum(client.ListInstances(state.InstanceId), total);
        // Only a completed job's output is its ComputeJobOutput; a terminated one carries the terminate reason.
        var output = state.Status == OrchestrationStatus.Completed ? WorkflowJson.Deserialize<ComputeJobOutput>(state.Output) : null;
        var phase = state.Status switch
        {
            OrchestrationStatus.Pending => JobPhase.Pending,
            OrchestrationStatus.Running => JobPhase.Running,
            OrchestrationStatus.Suspended => JobPhase.Suspended,
            OrchestrationStatus.Completed => output?.Phase ?? JobPhase.Succeeded,
            _ => JobPhase.Failed,
        };
        var reason = output?.Reason ?? (state.Status == OrchestrationStatus.Terminated ? "Terminated" : state.Failure?.ErrorType);
        return new JobStatusRow(state.InstanceId, input?.Spec.Kernel.DisplayName ?? "", phase, total, progress.Succeeded, progress.Running, progress.Failed,
            output?.Value, output?.Digest, reason, output?.Message ?? state.Failure?.ErrorMessage, state.UpdatedAt);
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}

/// <summary>One job as <c>hpck8s status</c> shows it.</summary>
internal sealed record JobStatusRow(string Name, string Kernel, string Phase, int Total, int Succeeded, int Running, int Failed,
    string? Result, string? Digest, string? Reason, string? Message, DateTime Updated);
