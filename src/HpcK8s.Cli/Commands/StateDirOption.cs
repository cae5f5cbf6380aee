using System.CommandLine;

namespace HpcK8s.Cli.Commands;

/// <summary>The <c>--state-dir</c> option every command of the embedded engine takes.</summary>
internal static class StateDirOption
{
    public const string Default = ".hpck8s";

    public static Option<string> Create() =>
        new("--state-dir") { Description = "Where embedded runs keep their state", DefaultValueFactory = _ => Default };
}
