using System.CommandLine;
using System.Globalization;
using HpcK8s.Core.Ledger;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Ledger;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s ledger verify|export|show|proof</c>: inspect and check a job's ledger.</summary>
internal static class LedgerCommand
{
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
        var name = new Argument<string?>("NAME") { Description = "The job's metadata.name", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "Verify an exported ledger (JSON) instead of a state directory's" };
        var key = new Option<string?>("--public-key") { Description = "Ed25519 public key (PEM or base64); every block's signature is then checked" };
        var stateDir = StateDirOption.Create();
        var command = new Command("verify", "Walk the chain, check every link, root and signature; name the first bad block") { name, file, key, stateDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (output, error) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            LedgerChain chain;
            Hash256? anchor = null;
            try
            {
                if (parse.GetValue(file) is { } path)
                {
                    chain = LedgerJson.Import(await File.ReadAllBytesAsync(path, cancellationToken));
                }
                else if (parse.GetValue(name) is { } job)
                {
                    chain = await LoadAsync(parse.GetValue(stateDir)!, job, cancellationToken);
                    anchor = RecordedHead(parse.GetValue(stateDir)!, job);
                }
                else
                {
                    error.WriteLine("ledger verify: give a job NAME or --file FILE");
                    return ExitCodes.InvalidInput;
                }
            }
            catch (Exception e) when (e is IOException or LedgerFormatException or FormatException or System.Text.Json.JsonException or InvalidOperationException)
            {
                error.WriteLine($"ledger verify: {e.Message}");
                return ExitCodes.InvalidInput;
            }

            var publicKey = parse.GetValue(key) is { } keyPath ? LedgerKeyFiles.LoadPublicKey(keyPath) : null;
            var result = chain.Verify(publicKey, anchor);
            (result.IsValid ? output : error).WriteLine($"{chain.LedgerId}: {result}");
            if (result.IsValid && anchor is not null)
            {
                output.WriteLine($"{chain.LedgerId}: head matches the head recorded with the job's result");
            }

            return result.IsValid ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static Command Export()
    {
        var name = new Argument<string>("NAME") { Description = "The job's metadata.name" };
        var format = new Option<string>("--format") { Description = "Export format", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json");
        var stateDir = StateDirOption.Create();
        var command = new Command("export", "Print the whole ledger as JSON: top-level blocks, each with its entries") { name, format, stateDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chain = await TryLoadAsync(parse, parse.GetValue(stateDir)!, parse.GetValue(name)!, cancellationToken);
            if (chain is null)
            {
                return ExitCodes.InvalidInput;
            }

            parse.InvocationConfiguration.Output.WriteLine(LedgerJson.Export(chain));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("NAME") { Description = "The job's metadata.name" };
        var stateDir = StateDirOption.Create();
        var command = new Command("show", "Show the ledger as a table of blocks and entries") { name, stateDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chain = await TryLoadAsync(parse, parse.GetValue(stateDir)!, parse.GetValue(name)!, cancellationToken);
            if (chain is null)
            {
                return ExitCodes.InvalidInput;
            }

            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"ledger {chain.LedgerId}: {chain.Blocks.Count} block(s), head {chain.HeadHash}");
            output.WriteLine($"{"HEIGHT",6}  {"TIME",-28} {"HASH",-20} ENTRIES");
            foreach (var block in chain.Blocks)
            {
                var kinds = block.Entries.GroupBy(e => e.Kind).Select(g => g.Count() == 1 ? Describe(g.First()) : $"{g.Count()} × {g.Key}");
                var hash = block.Hash.ToString();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{block.Height,6}  {block.Header.Time,-28} {hash[..Math.Min(hash.Length, 20)],-20} {string.Join(", ", kinds)}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Proof()
    {
        var name = new Argument<string>("NAME") { Description = "The job's metadata.name" };
        var shard = new Option<int>("--shard") { Description = "The shard whose ShardCompleted entry to prove", Required = true };
        var stateDir = StateDirOption.Create();
        var command = new Command("proof", "Print a Merkle inclusion proof (JSON) of one shard's result, checkable against the head hash alone") { name, shard, stateDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chain = await TryLoadAsync(parse, parse.GetValue(stateDir)!, parse.GetValue(name)!, cancellationToken);
            if (chain is null)
            {
                return ExitCodes.InvalidInput;
            }

            try
            {
                parse.InvocationConfiguration.Output.WriteLine(LedgerJson.Write(chain.ProveShard(parse.GetValue(shard))));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"ledger proof: {e.Message}");
                return ExitCodes.Failed;
            }
        });
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

    private static async Task<LedgerChain?> TryLoadAsync(ParseResult parse, string stateDir, string job, CancellationToken cancellationToken)
    {
        try
        {
            return await LoadAsync(stateDir, job, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            parse.InvocationConfiguration.Error.WriteLine($"ledger: {e.Message}");
            return null;
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
