using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HpcK8s.Cli.Running;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Model;
using HpcK8s.Core.Validation;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s run FILE</c>: runs ComputeJobs on this machine.</summary>
internal static class RunCommand
{
    private const int ShownResultLength = 100;

    public static Command Create(KernelRegistry kernels, Func<EngineChoice, IJobRunner> runnerFactory)
    {
        var file = new Argument<string>("FILE") { Description = "ComputeJob manifest (YAML); every job in it runs, in order" };
        var workers = new Option<int>("--workers", "-w")
        {
            Description = "Shards computed at once (also bounded by spec.parallelism)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        workers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--workers must be at least 1");
            }
        });
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json: one JSON object per job", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var stateDir = StateDirOption.Create();
        var fresh = new Option<bool>("--fresh") { Description = "Discard earlier state of these jobs and start over" };
        var resultFile = new Option<string?>("--result-file") { Description = "Also write the full result value to this file" };
        var signingKey = new Option<string?>("--signing-key") { Description = "Ed25519 private key (PEM or base64 seed): sign every ledger block" };
        var engine = new Option<string>("--engine") { Description = "local: the embedded engine (default); dapr: the Dapr sidecar's workflow engine (inside `dapr run`)", DefaultValueFactory = _ => "local" };
        engine.AcceptOnlyFromAmong("local", "dapr");
        var daprEndpoint = new Option<string?>("--dapr-grpc-endpoint") { Description = "The sidecar's gRPC endpoint (default: DAPR_GRPC_ENDPOINT, else http://127.0.0.1:$DAPR_GRPC_PORT, else :50001)" };
        var daprHttp = new Option<string?>("--dapr-http-endpoint") { Description = "The sidecar's HTTP endpoint, for external kernels and --ledger dapr (default: DAPR_HTTP_ENDPOINT, else http://127.0.0.1:$DAPR_HTTP_PORT, else :3500)" };
        var ledgerStore = new Option<string>("--ledger") { Description = "sqlite: the ledger in --state-dir (default); dapr: replicated LedgerActor replicas through the sidecar", DefaultValueFactory = _ => "sqlite" };
        ledgerStore.AcceptOnlyFromAmong("sqlite", "dapr");
        var command = new Command("run", "Run ComputeJobs on this machine, shards in parallel on all cores")
        {
            file, workers, output, stateDir, fresh, resultFile, signingKey, engine, daprEndpoint, daprHttp, ledgerStore,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var loaded = ManifestFiles.Load(parse.GetValue(file)!, kernels);
            if (!loaded.IsValid)
            {
                foreach (var problem in loaded.Errors)
                {
                    stderr.WriteLine(problem);
                }

                return ExitCodes.InvalidInput;
            }

            var json = parse.GetValue(output) == "json";
            var options = new JobRunOptions(parse.GetValue(workers), Path.GetFullPath(parse.GetValue(stateDir)!), parse.GetValue(fresh));
            var interactive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
            var exit = ExitCodes.Success;
            foreach (var job in loaded.Jobs)
            {
                RunReport report;
                try
                {
                    report = await ProgressDisplay.RunAsync(job.Metadata.Name, interactive, json ? null : stderr,
                        progress => runnerFactory(new EngineChoice(parse.GetValue(engine)!, parse.GetValue(daprEndpoint), parse.GetValue(ledgerStore)!, parse.GetValue(signingKey), parse.GetValue(daprHttp)))
                            .RunAsync(job, options, progress, cancellationToken));
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    stderr.WriteLine($"{job.Metadata.Name}: interrupted; state kept in {options.StateDir}; run the same command again to resume");
                    return ExitCodes.Interrupted;
                }
                catch (CliException e)
                {
                    stderr.WriteLine($"{job.Metadata.Name}: {e.Message}");
                    return e.ExitCode;
                }
                catch (ValidationException e)
                {
                    stderr.WriteLine($"{job.Metadata.Name}: {e.Message}");
                    return ExitCodes.InvalidInput;
                }
                catch (InvalidOperationException e)
                {
                    stderr.WriteLine($"{job.Metadata.Name}: {e.Message}");
                    return ExitCodes.Failed;
                }

                if (parse.GetValue(resultFile) is { } path && report.Result is { } result)
                {
                    await File.WriteAllTextAsync(path, result.Value + "\n", cancellationToken);
                }

                if (json)
                {
                    stdout.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
                }
                else
                {
                    WriteText(stdout, report);
                }

                if (report.Phase == JobPhase.Failed)
                {
                    stderr.WriteLine($"{report.Name}: failed: {report.Reason}: {report.Message}");
                    exit = ExitCodes.Failed;
                }
            }

            return exit;
        });
        return command;
    }

    private static void WriteText(TextWriter output, RunReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{report.Name}  {report.Kernel}  {report.Phase}  {report.Shards.Succeeded}/{report.Shards.Total} shards ({report.Shards.Resumed} resumed)  {report.ElapsedSeconds:0.###} s  {report.Workers} worker(s)"));
        if (report.Result is { } result)
        {
            var shown = result.Value.Length <= ShownResultLength
                ? result.Value
                : string.Create(inv, $"{result.Value[..ShownResultLength]}… ({result.Value.Length:N0} characters; --result-file or --output json for all)");
            output.WriteLine($"  result  {shown}");
            output.WriteLine($"  digest  {result.Digest}");
            if (report.Ledger is { } ledger)
            {
                output.WriteLine($"  ledger  height {ledger.Height}, head {ledger.Head}");
            }

            if (result.Details.Count > 0)
            {
                output.WriteLine($"  details {string.Join("  ", result.Details.Select(d => $"{d.Key}={d.Value}"))}");
            }
        }
        else if (report.Message is not null)
        {
            output.WriteLine($"  {report.Reason}: {report.Message}");
        }
    }
}
