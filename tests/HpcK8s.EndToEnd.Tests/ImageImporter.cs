using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using HpcK8s.Testing.Docs;
using Testcontainers.K3s;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>
/// The quick start's <c>images</c> and <c>load</c> steps by other means: builds the Dockerfiles it names, with the
/// repository root as context and its tags, through the Docker API (Testcontainers), then saves each image and imports
/// it into the K3s node's containerd, where kind would have loaded it into its nodes.
/// </summary>
public static class ImageImporter
{
    /// <summary>The (tag, Dockerfile) pairs of the images step, checked to be what the load step loads.</summary>
    public static IReadOnlyList<(string Tag, string Dockerfile)> ImagesOf(QuickstartDocument page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var builds = page.Step(QuickstartSteps.Images).Commands.Select(c =>
        {
            var words = c.Words.ToList();
            if (words.Count < 2 || words[0] != "docker" || words[1] != "build" || words[^1] != ".")
            {
                throw new InvalidOperationException($"{c}: the images step should only run 'docker build -t TAG -f DOCKERFILE .'.");
            }

            return (Tag: words[words.IndexOf("-t") + 1], Dockerfile: words[words.IndexOf("-f") + 1]);
        }).ToList();

        var load = page.Step(QuickstartSteps.Load).Commands.Single().Words;
        var loaded = load.Skip(3).TakeWhile(w => !w.StartsWith('-')).Order(StringComparer.Ordinal);
        if (!loaded.SequenceEqual(builds.Select(b => b.Tag).Order(StringComparer.Ordinal)))
        {
            throw new InvalidOperationException($"the load step loads {string.Join(", ", loaded)}, the images step builds {string.Join(", ", builds.Select(b => b.Tag))}.");
        }

        return builds;
    }

    public static async Task BuildAsync(string tag, string dockerfile, CancellationToken cancellationToken)
    {
        var image = new ImageFromDockerfileBuilder()
            .WithContextDirectory(RepoPaths.Root)
            .WithDockerfile(dockerfile)
            .WithName(tag)
            .WithBuildArgument("REVISION", "e2e")
            .WithDeleteIfExists(false)
            .Build();
        await image.CreateAsync(cancellationToken);
    }

    public static async Task ImportAsync(K3sContainer node, string tag, string scratch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = string.Concat(tag.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')) + ".tar";
        var file = new FileInfo(Path.Combine(scratch, name));
        using (var docker = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(ResourceReaper.DefaultSessionId).Build())
        {
            await using var image = await docker.Images.SaveImageAsync(tag, cancellationToken);
            await using var output = file.Create();
            await image.CopyToAsync(output, cancellationToken);
        }

        await node.CopyAsync(file, "/tmp/", ct: cancellationToken);
        var result = await node.ExecAsync(["k3s", "ctr", "--namespace", "k8s.io", "images", "import", "/tmp/" + name], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"importing {tag} into K3s failed ({result.ExitCode}): {result.Stdout}{result.Stderr}");
        }

        await node.ExecAsync(["rm", "-f", "/tmp/" + name], cancellationToken);
        file.Delete();
    }
}
