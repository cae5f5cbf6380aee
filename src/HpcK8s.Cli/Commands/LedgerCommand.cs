using System.CommandLine;
using System.Globalization;
using HpcK8s.Cli.Ledgers;
using HpcK8s.Core.Ledger;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Ledger;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s ledger verify|export|show|proof</c>: inspect and check a job's ledger.</summary>
internal static class LedgerCommand
{
    private const string NameDescription = "The job's metadata.name; with --ledger dapr, the ledger id (a cluster job's status.ledger.id)";

    public static Command Create()
    {
        var ledger = new Command("ledger", "Verify, export, show and prove entries of a job's tamper-evident ledger");
        ledger.Add(Verify());
        ledger.Add(Export());
        ledger.Add(Show());
        ledger.Add(Proof());
        ledger.Add(KeyGen());
        return ledger;
    }

    private static Command Verify()
    {
        var name = new Argument<string?>("NAME") { Description = NameDescription, Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "Verify an exported ledger (JSON) instead of a state directory's" };
        var key = new Option<string?>("--public-key") { Description = "Ed25519 public key (PEM or base64); every block's signature is then checked" };
        var command = new Command("verify", "Walk the chain, check every link, root and signature; name the first bad block") { name, file, key };
        var source = LedgerSource.AddTo(command);
        command.SetAction((parse, cancellationToken) => GuardedCommand.RunAsync(parse, "ledger verify", async (output, error) =>
        {
            LedgerChain chain;
            ReplicatedLedger? replicated = null;
            var expected = source.ExpectedHead(parse);
            var anchor = expected;
            LedgerPublicKey? publicKey;
            try
            {
                publicKey = parse.GetValue(key) is { } keyPath ? LedgerKeyFiles.LoadPublicKey(keyPath) : null;
                if (parse.GetValue(file) is { } path)
                {
                    if (source.IsDapr(parse))
                    {
                        error.WriteLine("ledger verify: --file reads an exported ledger; it does not go with --ledger dapr");
                        return ExitCodes.InvalidInput;
                    }

                    chain = LedgerJson.Import(await File.ReadAllBytesAsync(path, cancellationToken));
                }
                else if (parse.GetValue(name) is not { } job)
                {
                    error.WriteLine("ledger verify: give a job NAME (with --ledger dapr, the ledger id) or --file FILE");
                    return ExitCodes.InvalidInput;
                }
                else if (source.IsDapr(parse))
                {
                    replicated = await source.ReadReplicatedAsync(parse, job, cancellationToken);
                    chain = replicated.Chain;
                    foreach (var line in replicated.Describe())
                    {
                        output.WriteLine(line);
                    }
                }
                else
                {
                    var stateDir = parse.GetValue(source.StateDir)!;
                    chain = await LoadAsync(stateDir, job, cancellationToken);
                    anchor ??= RecordedHead(stateDir, job);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or LedgerFormatException or FormatException or System.Text.Json.JsonException or InvalidOperationException)
            {
                error.WriteLine($"ledger verify: {e.Message}");
                return ExitCodes.InvalidInput;
            }

            var result = chain.Verify(publicKey, anchor);
            (result.IsValid ? output : error).WriteLine($"{chain.LedgerId}: {result}");
            if (result.IsValid && anchor is not null)
            {
                output.WriteLine(expected is null
                    ? $"{chain.LedgerId}: head matches the head recorded with the job's result"
                    : $"{chain.LedgerId}: head matches --expect-head");
            }

            if (result.IsValid && replicated is not null)
            {
                WarnAboutReplicas(replicated, error);
            }

            return result.IsValid ? ExitCodes.Success : ExitCodes.Failed;
        }, cancellationToken));
        return command;
    }

    private static Command Export()
    {
        var name = new Argument<string>("NAME") { Description = NameDescription };
        var format = new Option<string>("--format") { Description = "Export format", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json");
        var command = new Command("export", "Print the whole ledger as JSON: top-level blocks, each with its entries") { name, format };
        var source = LedgerSource.AddTo(command);
        command.SetAction((parse, cancellationToken) => GuardedCommand.RunAsync(parse, "ledger export", async (output, error) =>
        {
            var chain = await TryLoadAsync(parse, source, parse.GetValue(name)!, error, cancellationToken);
            if (chain is null)
            {
                return ExitCodes.InvalidInput;
            }

            output.WriteLine(LedgerJson.Export(chain));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("NAME") { Description = NameDescription };
        var command = new Command("show", "Show the ledger as a table of blocks and entries") { name };
        var source = LedgerSource.AddTo(command);
        command.SetAction((parse, cancellationToken) => GuardedCommand.RunAsync(parse, "ledger show", async (output, error) =>
        {
            var chain = await TryLoadAsync(parse, source, parse.GetValue(name)!, error, cancellationToken);
            if (chain is null)
            {
                return ExitCodes.InvalidInput;
            }

            output.WriteLine($"ledger {chain.LedgerId}: {chain.Blocks.Count} block(s), head {chain.HeadHash}");
            output.WriteLine($"{"HEIGHT",6}  {"TIME",-28} {"HASH",-20} ENTRIES");
            foreach (var block in chain.Blocks)
            {
                var kinds = block.Entries.GroupBy(e => e.Kind).Select(g => g.Count() == 1 ? Describe(g.First()) : $"{g.Count()} × {g.Key}");
                var hash = block.Hash.ToString();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{block.Height,6}  {block.Header.Time,-28} {hash[..Math.Min(hash.Length, 20)],-20} {string.Join(", ", kinds)}"));
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Proof()
    {
        var name = new Argument<string>("NAME") { Description = NameDescription };
        var shard = new Option<int>("--shard") { Description = "The shard whose ShardCompleted entry to prove", Required = true };
        var command = new Command("proof", "Print a Merkle inclusion proof (JSON) of one shard's result, checkable against the head hash alone") { name, shard };
        var source = LedgerSource.AddTo(command);
        command.SetAction((parse, cancellationToken) => GuardedCommand.RunAsync(parse, "ledger proof", async (output, error) =>
        {
            var chain = await TryLoadAsync(parse, source, parse.GetValue(name)!, error, cancellationToken);
            if (chain is null)
            {
                return ExitCodes.InvalidInput;
            }

            try
            {
                output.WriteLine(LedgerJson.Write(chain.ProveShard(parse.GetValue(shard))));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                error.WriteLine($"ledger proof: {e.Message}");
                return ExitCodes.Failed;
            }
        }, cancellationToken));
        return command;
    }

    private static Command KeyGen()
    {
        var prefix = new Option<string>("--out") { Description = "Writes PREFIX.key (private, PEM, mode 600) and PREFIX.pub (public, PEM)", Required = true };
        var command = new Command("keygen", "Create an Ed25519 key pair for signing ledger blocks (run --signing-key, verify --public-key)") { prefix };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(prefix)!;
            if (File.Exists(path + ".key"))
            {
                parse.InvocationConfiguration.Error.WriteLine($"ledger keygen: {path}.key exists; not overwriting a private key");
                return ExitCodes.Failed;
            }

            using var key = LedgerSigningKey.Generate();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(path + ".key", options))
            {
                writer.Write(key.ExportPem());
            }

            File.WriteAllText(path + ".pub", key.PublicKey.ExportPem());
            parse.InvocationConfiguration.Output.WriteLine($"wrote {path}.key (private) and {path}.pub (public {key.PublicKey.ToBase64()})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(LedgerEntry entry) => entry switch
    {
        JobAcceptedEntry a => $"JobAccepted {a.Kernel}",
        ShardCompletedEntry s => $"ShardCompleted shard {s.Shard} attempt {s.Attempt}",
        JobCompletedEntry => "JobCompleted",
        JobFailedEntry f => $"JobFailed {f.Reason}",
        _ => entry.Kind.ToString(),
    };

    // The chain for export, show and proof: the state directory's, or the replicas' (which must end at --expect-head
    // when it is given; replicas that differ are mentioned on standard error).
    private static async Task<LedgerChain?> TryLoadAsync(ParseResult parse, LedgerSource source, string name, TextWriter error, CancellationToken cancellationToken)
    {
        var expected = source.ExpectedHead(parse);
        LedgerChain chain;
        if (source.IsDapr(parse))
        {
            var replicated = await source.ReadReplicatedAsync(parse, name, cancellationToken);
            WarnAboutReplicas(replicated, error);
            chain = replicated.Chain;
        }
        else
        {
            try
            {
                chain = await LoadAsync(parse.GetValue(source.StateDir)!, name, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                error.WriteLine($"ledger: {e.Message}");
                return null;
            }
        }

        if (expected is { } head && chain.HeadHash != head)
        {
            throw new CliException(ExitCodes.Failed, $"ledger {chain.LedgerId} ends at {chain.HeadHash} (height {chain.Height}), not at --expect-head {head}");
        }

        return chain;
    }

    // Replicas that do not hold the chain shown: worth knowing, not a failure of the ledger itself.
    private static void WarnAboutReplicas(ReplicatedLedger ledger, TextWriter error)
    {
        foreach (var line in ledger.Replicas.Zip(ledger.Describe()).Where(p => !ledger.InSync(p.First)).Select(p => p.Second))
        {
            error.WriteLine($"warning: {ledger.LedgerId} {line}");
        }

        if (ledger.Support < ledger.Quorum)
        {
            error.WriteLine($"warning: {ledger.LedgerId}: only {ledger.Support} of {ledger.Replicas.Count} replicas hold this chain (a majority is {ledger.Quorum}); "
                + "if the job has fewer replicas, pass --replicas with its spec.ledger.replicas");
        }
    }

    private static async Task<LedgerChain> LoadAsync(string stateDir, string job, CancellationToken cancellationToken)
    {
        var path = SqliteJobLedger.PathIn(stateDir);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{stateDir}: no ledger here (no {path}); run a job with --state-dir {stateDir} first");
        }

        using var store = new SqliteLedgerStore(path);
        var chain = await LedgerChain.LoadAsync(store, LedgerIdOf(stateDir, job), cancellationToken);
        return chain.Blocks.Count > 0
            ? chain
            : throw new InvalidOperationException($"no ledger for job '{job}' in {path}; known: {string.Join(", ", await store.ListLedgersAsync(cancellationToken))}");
    }

    // A job's latest run names its ledger in its workflow input; a name with no run is taken as a ledger id.
    private static string LedgerIdOf(string stateDir, string job)
    {
        if (!File.Exists(LocalEngineOptions.DatabasePath(stateDir)))
        {
            return job;
        }

        using var client = new LocalWorkflowClient(stateDir);
        return WorkflowJson.Deserialize<ComputeJobInput>(client.GetInstance(job)?.Input)?.Ledger ?? job;
    }

    // The head the job's workflow recorded with its result: an anchor held apart from the ledger file.
    private static Hash256? RecordedHead(string stateDir, string job)
    {
        if (!File.Exists(LocalEngineOptions.DatabasePath(stateDir)))
        {
            return null;
        }

        using var client = new LocalWorkflowClient(stateDir);
        var state = client.GetInstance(job);
        var output = state?.Status == OrchestrationStatus.Completed ? WorkflowJson.Deserialize<ComputeJobOutput>(state.Output) : null;
        return output?.Ledger is { } head && Hash256.TryParse(head.Head, out var hash) ? hash : null;
    }
}
