namespace HpcK8s.Chart.Tests;

[Collection(ChartTestGroup.Name)]
public sealed class LintTests(ChartFixture chart)
{
    [HelmTheory]
    [MemberData(nameof(ChartFixture.Modes), MemberType = typeof(ChartFixture))]
    public async Task Lint_Strict_PassesInEveryMode(string mode, string[] sets)
    {
        var args = new List<string> { "lint", "--strict", RepoPaths.Chart };
        foreach (var set in sets)
        {
            args.Add("--set");
            args.Add(set);
        }

        var result = await chart.HelmAsync(args);

        Assert.True(result.ExitCode == 0, $"helm lint --strict ({mode}) failed:\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("0 chart(s) failed", result.Stdout);
        Assert.DoesNotContain("[WARNING]", result.Stdout);
        Assert.DoesNotContain("[ERROR]", result.Stdout);
    }

    [HelmFact]
    public async Task Helm_Version_IsHelm4()
    {
        var result = await chart.HelmAsync(["version", "--short"]);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("v4.", result.Stdout.Trim());
    }
}
