using HpcK8s.Core.Numerics;

namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>The two Dockerfiles, held to the projects they build and to the chart that runs their images.</summary>
[Collection(ChartTestGroup.Name)]
public sealed class DockerfileTests(ChartFixture chart)
{
    private static readonly HashSet<string> RestoreInputs = ["global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", "nuget.config", "NuGet.config", "packages.lock.json"];

    /// <summary>(component in values.yaml, Dockerfile, the project it builds).</summary>
    public static TheoryData<string, string, string> Images => new()
    {
        { "operator", "operators/HpcK8s.Operator/Dockerfile", "operators/HpcK8s.Operator/HpcK8s.Operator.csproj" },
        { "worker", "src/HpcK8s.Worker/Dockerfile", "src/HpcK8s.Worker/HpcK8s.Worker.csproj" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void IsMultiStage_BuildingWithTheSdkAndRunningOnAspNet(string component, string dockerfile, string project)
    {
        var file = Dockerfile.Load(dockerfile);

        Assert.True(file.Stages.Count >= 2, $"{dockerfile} ({component}, {project}) has one stage; the SDK must not ship in the image.");
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0", "AS", "build"], file.Stages[0][0].Words);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", file.Final[0].Words[0]);
        Assert.DoesNotContain(file.Final, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet ", StringComparison.Ordinal));
        Assert.Contains(file.Final, i => i.Keyword == "COPY" && i.Option("from") == "build");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Restores_FromProjectAndLockFilesOnly_BeforeCopyingSources_ThenPublishesRelease(string component, string dockerfile, string project)
    {
        var build = Dockerfile.Load(dockerfile).Stages[0].ToList();
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var publish = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));

        Assert.True(restore > 0, $"{dockerfile}: no RUN dotnet restore in the build stage ({component}).");
        Assert.Contains($"dotnet restore {project} --locked-mode", build[restore].Arguments, StringComparison.Ordinal);
        foreach (var copy in build.Take(restore).Where(i => i.Keyword == "COPY"))
        {
            var sources = copy.Words.SkipLast(1);
            Assert.All(sources, s => Assert.True(
                RestoreInputs.Contains(Path.GetFileName(s)) || s.EndsWith(".csproj", StringComparison.Ordinal),
                $"{dockerfile} {copy}: {s} is copied before the restore, so every change to it re-runs the restore; copy only project, props and lock files there."));
        }

        Assert.True(publish > restore, $"{dockerfile}: no RUN dotnet publish after the restore.");
        var words = build[publish].Arguments.Split(' ');
        Assert.Equal(project, words[2]);
        Assert.Contains("--no-restore", words);
        Assert.Equal("Release", words[Array.IndexOf(words, "-c") + 1]);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void CopiesEveryProjectItBuilds_AndOnlyPathsThatExist(string component, string dockerfile, string project)
    {
        var build = Dockerfile.Load(dockerfile).Stages[0].ToList();
        var copies = build.Where(i => i.Keyword == "COPY" && i.Option("from") is null).ToList();
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var beforeRestore = copies.Where(c => build.IndexOf(c) < restore).SelectMany(c => c.Words.SkipLast(1)).ToHashSet(StringComparer.Ordinal);
        var all = copies.SelectMany(c => c.Words.SkipLast(1)).ToHashSet(StringComparer.Ordinal);

        foreach (var source in all)
        {
            var path = Path.Combine(RepoPaths.Root, source);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{dockerfile} copies {source}, which does not exist in the repository.");
        }

        foreach (var reference in ProjectFile.Load(project).Closure())
        {
            Assert.True(beforeRestore.Contains(reference.RelativePath), $"{dockerfile} ({component}): {reference} is built but its project file is not copied before the restore.");
            Assert.True(beforeRestore.Contains($"{reference.Directory}/packages.lock.json"), $"{dockerfile} ({component}): {reference.Directory}/packages.lock.json is not copied before the restore (--locked-mode needs it).");
            Assert.True(all.Contains(reference.Directory + "/"), $"{dockerfile} ({component}): the sources of {reference} ({reference.Directory}/) are not copied.");
            foreach (var resource in reference.ExternalEmbeddedResources)
            {
                Assert.True(all.Any(s => resource == s || resource.StartsWith(s, StringComparison.Ordinal) && s.EndsWith('/')),
                    $"{dockerfile} ({component}): {reference} embeds {resource}, which the build does not copy.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void RunsAsTheChartsNonRootUser(string component, string dockerfile, string project)
    {
        var user = Assert.Single(Dockerfile.Load(dockerfile).Final, i => i.Keyword == "USER");

        var expected = $"{ChartFiles.Value("securityContext.runAsUser")}:{ChartFiles.Value("securityContext.runAsGroup")}";
        Assert.True(expected == user.Arguments, $"{dockerfile} ({component}, {project}): USER {user.Arguments}, but the chart runs it as {expected}; numeric, so that runAsNonRoot can verify it.");
        Assert.NotEqual("0", user.Arguments.Split(':')[0]);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void ExposesTheChartsPort_AndStartsTheProjectsAssembly(string component, string dockerfile, string project)
    {
        var final = Dockerfile.Load(dockerfile).Final;
        var port = ChartFiles.Value($"{component}.port");

        Assert.Equal([port], final.Where(i => i.Keyword == "EXPOSE").SelectMany(i => i.Words));
        Assert.Equal(port, Dockerfile.Pairs(final, "ENV")["ASPNETCORE_HTTP_PORTS"]);
        var entrypoint = Dockerfile.ExecForm(Assert.Single(final, i => i.Keyword == "ENTRYPOINT"));
        Assert.Equal(["dotnet", ProjectFile.Load(project).AssemblyName + ".dll"], entrypoint);
    }

    [HelmTheory]
    [MemberData(nameof(Images))]
    public async Task WritesOnlyWhereTheChartMountsAVolume(string component, string dockerfile, string project)
    {
        var final = Dockerfile.Load(dockerfile).Final;
        var manifests = await chart.RenderAsync();
        var container = manifests.Single(m => m.Kind == "Deployment" && m.Name == $"hpc-hpck8s-{component}")
            .Seq("spec", "template", "spec", "containers").Single(c => Manifest.Scalar(c, "name") == component);

        Assert.Equal("true", Manifest.Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.DoesNotContain(final, i => i.Keyword == "VOLUME");
        var temp = Dockerfile.Pairs(final, "ENV")["TMPDIR"];
        Assert.True(Manifest.Seq(container, "volumeMounts").Any(m => Manifest.Scalar(m, "mountPath") == temp),
            $"{dockerfile} ({project}) writes temporary files to {temp}, but the chart mounts no volume there under its read-only root file system.");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void CarriesOciLabels_WithTheChartsAppVersion(string component, string dockerfile, string project)
    {
        var final = Dockerfile.Load(dockerfile).Final;
        var labels = Dockerfile.Pairs(final, "LABEL");

        foreach (var label in new[] { "title", "description", "source", "version", "revision" })
        {
            Assert.True(labels.ContainsKey($"org.opencontainers.image.{label}"), $"{dockerfile} ({component}, {project}) has no org.opencontainers.image.{label} label.");
        }

        Assert.Equal("${VERSION}", labels["org.opencontainers.image.version"]);
        Assert.Equal(ChartFiles.AppVersion, Dockerfile.Pairs(final, "ARG")["VERSION"]);
    }

    [Fact]
    public void WorkerImage_InstallsTheGmpLibraryThePiDigitsKernelLoads()
    {
        var final = Dockerfile.Load("src/HpcK8s.Worker/Dockerfile").Final.ToList();

        // Debian and Ubuntu name a shared library's package after its soname: libgmp.so.10 is in libgmp10.
        Assert.Equal("libgmp.so.10", GmpLibrary.LibraryName);
        var install = Assert.Single(final, i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal));
        Assert.Contains("libgmp10", install.Arguments.Split(' '));
        Assert.Contains("rm -rf /var/lib/apt/lists/*", install.Arguments, StringComparison.Ordinal);
        Assert.True(final.IndexOf(install) < final.FindIndex(i => i.Keyword == "USER"), "the package must be installed before the image drops to the non-root user");
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputsAndLocalStateOutOfTheContext()
    {
        var patterns = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);

        // A host's obj/ copied over the restore output of the build stage breaks the build; the rest is bulk.
        Assert.Superset(new HashSet<string>(["**/bin/", "**/obj/", "**/node_modules/", ".git/", "**/.hpck8s/"]), patterns);
    }
}
