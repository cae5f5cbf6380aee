namespace HpcK8s.Chart.Tests;

[Collection(ChartTestGroup.Name)]
public sealed class NotesTests(ChartFixture chart)
{
    [HelmFact]
    public async Task Notes_TellHowToSubmitTheFirstJob()
    {
        var result = await chart.HelmAsync(["install", "hpc", RepoPaths.Chart, "--namespace", "jobs", "--dry-run=client"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var notes = result.Stdout[result.Stdout.IndexOf("NOTES:", StringComparison.Ordinal)..];
        Assert.Contains("kubectl apply -f examples/pi-digits.yaml", notes);
        Assert.Contains("kubectl get cj -w", notes);
        Assert.Contains("deployment/hpc-hpck8s-worker", notes);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "examples", "pi-digits.yaml")), "NOTES.txt points at examples/pi-digits.yaml, which is missing");
    }
}
