using System.CommandLine;

namespace HpcK8s.Cli.Kube;

/// <summary>The options every cluster command takes, as kubectl spells them: <c>--kubeconfig</c>, <c>--context</c>,
/// <c>-n/--namespace</c>.</summary>
internal sealed class KubeOptions
{
    private KubeOptions()
    {
    }

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)",
        HelpName = "FILE",
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "Kubeconfig context to use (default: its current-context)",
        HelpName = "NAME",
    };

    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "Namespace (default: the context's namespace, else default)",
        HelpName = "NAMESPACE",
    };

    /// <summary>Creates the options and adds them to <paramref name="command"/>.</summary>
    public static KubeOptions AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new KubeOptions();
        command.Add(options.Kubeconfig);
        command.Add(options.Context);
        command.Add(options.Namespace);
        return options;
    }

    /// <summary>Reads the kubeconfig and builds the client the options ask for.</summary>
    /// <exception cref="CliException">The kubeconfig is missing or unusable.</exception>
    public KubeTarget Connect(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return KubeConfigLoader.Connect(parse.GetValue(Kubeconfig), parse.GetValue(Context), parse.GetValue(Namespace));
    }
}
