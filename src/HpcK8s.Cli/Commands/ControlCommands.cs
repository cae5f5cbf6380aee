using System.CommandLine;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s suspend|resume|terminate NAME</c>: control a running embedded job from another terminal.</summary>
internal static class ControlCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Create("suspend", "Suspend a running embedded job: no new shard starts; running shards finish", (c, id) => c.Suspend(id, "suspended by hpck8s suspend"));
        yield return Create("resume", "Resume a suspended embedded job", (c, id) => c.Resume(id, "resumed by hpck8s resume"));
        yield return Create("terminate", "Terminate an embedded job and its shard batches; its history is kept", (c, id) => c.Terminate(id, "terminated by hpck8s terminate"));
    }

    private static Command Create(string verb, string description, Action<LocalWorkflowClient, string> act)
    {
        var name = new Argument<string>("NAME") { Description = "The job's metadata.name" };
        var stateDir = StateDirOption.Create();
        var command = new Command(verb, description) { name, stateDir };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(stateDir)!;
            var job = parse.GetValue(name)!;
            if (!File.Exists(LocalEngineOptions.DatabasePath(directory)))
            {
                parse.InvocationConfiguration.Error.WriteLine($"{directory}: no embedded runs here");
                return ExitCodes.InvalidInput;
            }

            using var client = new LocalWorkflowClient(directory);
            try
            {
                act(client, job);
            }
            catch (InvalidOperationException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"{verb}: {e.Message}");
                return ExitCodes.Failed;
            }

            parse.InvocationConfiguration.Output.WriteLine($"{job}: {verb} requested");
            return ExitCodes.Success;
        });
        return command;
    }
}
