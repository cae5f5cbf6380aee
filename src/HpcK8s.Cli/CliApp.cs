using System.CommandLine;
using HpcK8s.Cli.Commands;
using HpcK8s.Cli.Running;
using HpcK8s.Core.Kernels;
using HpcK8s.Dapr.Kernels;

namespace HpcK8s.Cli;

/// <summary>The <c>hpck8s</c> command tree; <c>RunAsync</c> is the whole program, callable in-process by tests.</summary>
internal static class CliApp
{
    public static RootCommand Create(KernelRegistry kernels) => Create(kernels, () => Console.In);

    public static RootCommand Create(KernelRegistry kernels, Func<TextReader> stdin)
    {
        var root = new RootCommand("hpck8s: run data-parallel compute jobs locally or on Kubernetes, with a tamper-evident ledger")
        {
            RunCommand.Create(kernels, choice => new DurableJobRunner(
                choice.Engine == "dapr" ? new KernelRegistry(kernels.Kernels, ExternalKernel.Resolver(choice.DaprHttpEndpoint)) : kernels,
                options => choice.Engine == "dapr" ? new DaprJobEngine(choice.DaprGrpcEndpoint) : new LocalJobEngine(options.StateDir),
                (job, options) => JobLedgers.Open(job, options, choice))),
            ValidateCommand.Create(kernels),
            KernelsCommand.Create(kernels),
            StatusCommand.Create(),
            LedgerCommand.Create(),
            SubmitCommand.Create(kernels, stdin),
            GetCommand.Create(),
            WatchCommand.Create(),
        };
        foreach (var command in ControlCommands.Create())
        {
            root.Add(command);
        }

        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, KernelRegistry.BuiltIn, cancellationToken);

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, KernelRegistry kernels, CancellationToken cancellationToken = default) =>
        RunAsync(args, Console.In, output, error, kernels, cancellationToken);

    /// <summary>Runs the CLI with <paramref name="input"/> as standard input (<c>submit -</c> reads it).</summary>
    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, KernelRegistry kernels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        var parse = Create(kernels, () => input).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors are bad input (exit 2), told in one line each, not with the whole help text.
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"hpck8s: {problem.Message}");
            }

            var command = parse.CommandResult.Command;
            error.WriteLine(command is RootCommand ? "see: hpck8s --help" : $"see: hpck8s {command.Name} --help");
            return Task.FromResult(ExitCodes.InvalidInput);
        }

        return parse.InvokeAsync(configuration, cancellationToken);
    }
}
