using System.CommandLine;
using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;

namespace HpcK8s.Cli.Ledgers;

/// <summary>Where the <c>ledger</c> commands read a ledger: the state directory's SQLite file (<c>--ledger sqlite</c>,
/// the default) or a cluster's replicated ledger actors through a Dapr sidecar (<c>--ledger dapr</c>).</summary>
internal sealed class LedgerSource
{
    private LedgerSource()
    {
    }

    public Option<string> Ledger { get; } = CreateLedgerOption();

    public Option<string?> DaprHttpEndpoint { get; } = new("--dapr-http-endpoint")
    {
        Description = "With --ledger dapr: the sidecar's HTTP endpoint, e.g. a port-forwarded worker's (default: DAPR_HTTP_ENDPOINT, else http://127.0.0.1:$DAPR_HTTP_PORT, else :3500); DAPR_API_TOKEN is sent when set",
        HelpName = "URL",
    };

    public Option<int> Replicas { get; } = CreateReplicasOption();

    public Option<string?> ExpectHead { get; } = new("--expect-head")
    {
        Description = "The head the chain must end at (sha256:…; a cluster job's status.ledger.head); with --ledger dapr it also picks the replicas' chain",
        HelpName = "sha256:HEX",
    };

    public Option<string> StateDir { get; } = Commands.StateDirOption.Create();

    public static LedgerSource AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var source = new LedgerSource();
        command.Add(source.StateDir);
        command.Add(source.Ledger);
        command.Add(source.DaprHttpEndpoint);
        command.Add(source.Replicas);
        command.Add(source.ExpectHead);
        return source;
    }

    public bool IsDapr(ParseResult parse) => parse.GetValue(Ledger) == "dapr";

    /// <summary>The parsed <c>--expect-head</c>, if given.</summary>
    /// <exception cref="CliException">It is not <c>sha256:</c> and 64 hex digits.</exception>
    public Hash256? ExpectedHead(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(ExpectHead) is not { } text)
        {
            return null;
        }

        return Hash256.TryParse(text.Trim(), out var head)
            ? head
            : throw new CliException(ExitCodes.InvalidInput, $"--expect-head must be sha256: followed by 64 hex digits, as in a job's status.ledger.head (got '{text}')");
    }

    /// <summary>Reads the ledger <paramref name="ledgerId"/> from the cluster's replicas, read-only.</summary>
    public Task<ReplicatedLedger> ReadReplicatedAsync(ParseResult parse, string ledgerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var sidecar = DaprSidecar.Resolve(parse.GetValue(DaprHttpEndpoint));
        var reader = new ReplicaLedgerReader(new DaprLedgerReplicaFactory(sidecar.CreateProxies()));
        return reader.ReadAsync(ledgerId, parse.GetValue(Replicas), ExpectedHead(parse), sidecar.HttpEndpoint, cancellationToken);
    }

    private static Option<string> CreateLedgerOption()
    {
        var option = new Option<string>("--ledger")
        {
            Description = "sqlite: the ledger in --state-dir (default); dapr: a cluster's replicated LedgerActors, read-only through a Dapr sidecar (NAME is then the ledger id, status.ledger.id)",
            DefaultValueFactory = _ => "sqlite",
        };
        option.AcceptOnlyFromAmong("sqlite", "dapr");
        return option;
    }

    private static Option<int> CreateReplicasOption()
    {
        var option = new Option<int>("--replicas")
        {
            Description = "With --ledger dapr: how many replicas the ledger has (the job's spec.ledger.replicas)",
            DefaultValueFactory = _ => 3,
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > LedgerActorIds.MaxReplicas)
            {
                r.AddError($"--replicas must be between 1 and {LedgerActorIds.MaxReplicas}");
            }
        });
        return option;
    }
}
