using System.CommandLine;
using HpcK8s.Core.Kernels;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s kernels</c>: lists the built-in kernels and their parameters.</summary>
internal static class KernelsCommand
{
    public static Command Create(KernelRegistry kernels)
    {
        var command = new Command("kernels", "List the built-in kernels and their parameters");
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            foreach (var kernel in kernels.Kernels)
            {
                output.WriteLine($"{kernel.Name}: {kernel.Summary}");
                foreach (var p in kernel.Parameters)
                {
                    var presence = p.Required ? "required" : $"optional, default {p.Default ?? "none"}";
                    output.WriteLine($"  {p.Name,-12} {p.Type} ({presence}): {p.Description}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
