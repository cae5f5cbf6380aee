using System.CommandLine;
using HpcK8s.Core.Kernels;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s validate FILE</c>: parses and validates a manifest without running it.</summary>
internal static class ValidateCommand
{
    public static Command Create(KernelRegistry kernels)
    {
        var file = new Argument<string>("FILE") { Description = "ComputeJob manifest (YAML, one or more documents)" };
        var command = new Command("validate", "Check a ComputeJob manifest and report every problem with its field") { file };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var result = ManifestFiles.Load(parse.GetValue(file)!, kernels);
            foreach (var problem in result.Errors)
            {
                error.WriteLine(problem);
            }

            if (!result.IsValid)
            {
                error.WriteLine($"{result.Errors.Count} problem(s) found");
                return ExitCodes.InvalidInput;
            }

            foreach (var job in result.Jobs)
            {
                output.WriteLine($"{job.Metadata.Name}: valid ({job.Spec.Kernel.DisplayName}, {job.Spec.Shards} shard(s))");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
