using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace HpcK8s.Chart.Tests;

/// <summary>The chart ships the repository's one CRD file, unchanged.</summary>
[Collection(ChartTestGroup.Name)]
public sealed class CrdTests(ChartFixture chart)
{
    private const string CrdSource = "# Source: hpck8s/crds/computejobs.hpck8s.io.yaml\n";

    [HelmFact]
    public async Task TemplateIncludeCrds_EmitsTheCrdFileVerbatim()
    {
        var crd = await File.ReadAllTextAsync(RepoPaths.Crd);

        var result = await chart.TemplateAsync(includeCrds: true);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains(CrdSource + crd.TrimEnd('\n'), result.Stdout, StringComparison.Ordinal);
        var rendered = Assert.Single(Manifest.ParseAll(result.Stdout), m => m.Kind == "CustomResourceDefinition");
        Assert.Equal("computejobs.hpck8s.io", rendered.Name);
        Assert.Equal(["cj"], Manifest.Strings(rendered.Root, "spec", "names", "shortNames"));
    }

    [HelmFact]
    public async Task Template_WithoutIncludeCrds_LeavesTheCrdToHelmInstall()
    {
        var result = await chart.TemplateAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("kind: CustomResourceDefinition", result.Stdout, StringComparison.Ordinal);
    }

    [HelmFact]
    public async Task Package_HoldsTheCrdFileByteForByte()
    {
        var output = Directory.CreateTempSubdirectory("hpck8s-package-");
        try
        {
            var result = await chart.HelmAsync(["package", RepoPaths.Chart, "--destination", output.FullName]);
            Assert.True(result.ExitCode == 0, result.Stderr);

            var package = Assert.Single(Directory.GetFiles(output.FullName, "hpck8s-*.tgz"));
            var packaged = await ReadEntryAsync(package, "hpck8s/crds/computejobs.hpck8s.io.yaml");

            Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Crd), packaged);
            Assert.NotNull(await ReadEntryAsync(package, "hpck8s/values.schema.json"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void CrdFile_IsTheOneTheRepositoryHolds()
    {
        // charts/hpck8s/crds is the single source of truth: no second copy anywhere else in the repository.
        var copies = Directory.EnumerateFiles(RepoPaths.Root, "computejobs.hpck8s.io.yaml", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(RepoPaths.Root, p).Replace('\\', '/'));

        Assert.Equal(["charts/hpck8s/crds/computejobs.hpck8s.io.yaml"], copies);
        Assert.StartsWith("# The ComputeJob CRD", File.ReadAllText(RepoPaths.Crd, Encoding.UTF8), StringComparison.Ordinal);
    }

    [Fact]
    public void OperatorsEmbeddedCrd_IsTheChartFileByteForByte()
    {
        // HpcK8s.Kubernetes links the chart's file as an EmbeddedResource; the operator and the CLI read it from there.
        var assembly = typeof(HpcK8s.Kubernetes.ComputeJobResource).Assembly;
        using var stream = assembly.GetManifestResourceStream(HpcK8s.Kubernetes.ComputeJobResource.CrdFileName);
        Assert.NotNull(stream);
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);

        Assert.Equal(File.ReadAllBytes(RepoPaths.Crd), bytes.ToArray());
        Assert.Equal(File.ReadAllText(RepoPaths.Crd), HpcK8s.Kubernetes.ComputeJobResource.ReadCrdYaml());
    }

    private static async Task<byte[]> ReadEntryAsync(string tgz, string name)
    {
        await using var file = File.OpenRead(tgz);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name == name && entry.DataStream is { } data)
            {
                using var bytes = new MemoryStream();
                await data.CopyToAsync(bytes);
                return bytes.ToArray();
            }
        }

        throw new Xunit.Sdk.XunitException($"{tgz} has no {name}.");
    }
}
