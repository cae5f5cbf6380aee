using System.CommandLine;
using System.Net;
using HpcK8s.Cli.Kube;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Manifests;
using HpcK8s.Core.Model;
using HpcK8s.Kubernetes;
using k8s.Autorest;
using k8s.Models;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s submit FILE</c>: checks ComputeJob manifests here, then creates them on the cluster.</summary>
internal static class SubmitCommand
{
    /// <summary>The FILE that means standard input.</summary>
    public const string StandardInput = "-";

    public static Command Create(KernelRegistry kernels, Func<TextReader> stdin)
    {
        var file = new Argument<string>("FILE") { Description = "ComputeJob manifest (YAML, one or more documents); - reads standard input" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Then follow each job to its end, as hpck8s watch does" };
        var timeout = GuardedCommand.TimeoutOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Have the API server check the jobs without creating them" };
        var command = new Command("submit", "Check ComputeJob manifests locally, then create them on the cluster of the current kubeconfig context")
        {
            file, watch, timeout, dryRun,
        };
        var kube = KubeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => GuardedCommand.RunAsync(parse, "submit", async (stdout, stderr) =>
        {
            var path = parse.GetValue(file)!;
            var loaded = path == StandardInput ? ManifestParser.Parse(await stdin().ReadToEndAsync(cancellationToken).ConfigureAwait(false), "<stdin>", kernels) : ManifestFiles.Load(path, kernels);
            if (!loaded.IsValid)
            {
                // Nothing goes to the cluster unless every job in the file is valid.
                foreach (var problem in loaded.Errors)
                {
                    stderr.WriteLine(problem);
                }

                stderr.WriteLine($"{loaded.Errors.Count} problem(s) found; nothing submitted");
                return ExitCodes.InvalidInput;
            }

            using var target = kube.Connect(parse);
            var jobs = new List<(ComputeJob Job, string Namespace)>();
            foreach (var job in loaded.Jobs)
            {
                if (job.Metadata.Namespace is { Length: > 0 } own && target.NamespaceGiven && own != target.Namespace)
                {
                    stderr.WriteLine($"submit: job {job.Metadata.Name} in {path} says namespace \"{own}\" but -n says \"{target.Namespace}\"; drop one of them (nothing submitted)");
                    return ExitCodes.InvalidInput;
                }

                jobs.Add((job, job.Metadata.Namespace is { Length: > 0 } ns ? ns : target.Namespace));
            }

            var exit = ExitCodes.Success;
            var created = new List<(ComputeJobClient Client, string Name)>();
            foreach (var (job, ns) in jobs)
            {
                var client = new ComputeJobClient(target, ns);
                var outcome = await CreateAsync(client, job, path, parse.GetValue(dryRun), stdout, stderr, cancellationToken).ConfigureAwait(false);
                if (outcome == ExitCodes.Success)
                {
                    created.Add((client, job.Metadata.Name));
                }

                exit = Math.Max(exit, outcome);
            }

            if (!parse.GetValue(watch) || parse.GetValue(dryRun))
            {
                return exit;
            }

            var interactive = GuardedCommand.IsInteractive(parse);
            foreach (var (client, name) in created)
            {
                var outcome = await JobWatch.RunAsync(new JobFollower(client), name, stdout, stderr, interactive, GuardedCommand.Timeout(parse, timeout), cancellationToken).ConfigureAwait(false);
                if (outcome == ExitCodes.Interrupted)
                {
                    return outcome;
                }

                exit = exit == ExitCodes.Success ? outcome : exit;
            }

            return exit;
        }, cancellationToken));
        return command;
    }

    /// <summary>The ComputeJob object the API server is sent for a manifest's job; status is the operator's to write.</summary>
    public static V1Alpha1ComputeJob ToResource(ComputeJob job, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new V1Alpha1ComputeJob
        {
            Metadata = new V1ObjectMeta
            {
                Name = job.Metadata.Name,
                NamespaceProperty = @namespace,
                Labels = job.Metadata.Labels.Count > 0 ? new Dictionary<string, string>(job.Metadata.Labels) : null,
                Annotations = job.Metadata.Annotations.Count > 0 ? new Dictionary<string, string>(job.Metadata.Annotations) : null,
            },
            Spec = job.Spec,
        };
    }

    private static async Task<int> CreateAsync(ComputeJobClient client, ComputeJob job, string path, bool dryRun, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var name = job.Metadata.Name;
        var qualified = GetCommand.QualifiedName(name);
        try
        {
            await client.CreateAsync(ToResource(job, client.Namespace), dryRun, cancellationToken).ConfigureAwait(false);
            stdout.WriteLine(dryRun ? $"{qualified} created (server dry run)" : $"{qualified} created");
            return ExitCodes.Success;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            stderr.WriteLine($"submit: {qualified} already exists in namespace \"{client.Namespace}\": hpck8s get {name} -n {client.Namespace} shows it; "
                + $"to run it again, delete it first (kubectl delete computejob {name} -n {client.Namespace}) or give the job another metadata.name");
            return ExitCodes.Failed;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            // The CRD's schema and CEL rules are the server's word: show each cause with its field.
            var status = KubeErrors.StatusOf(e);
            stderr.WriteLine($"submit: {path}: the API server rejected {qualified} (422 Invalid): {status?.Message ?? e.Response?.Content}");
            foreach (var cause in status?.Details?.Causes ?? [])
            {
                var field = string.IsNullOrEmpty(cause.Field) ? "" : cause.Field + ": ";
                stderr.WriteLine($"  {field}{cause.Message}");
            }

            return ExitCodes.InvalidInput;
        }
    }
}
