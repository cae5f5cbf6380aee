namespace HpcK8s.Testing;

/// <summary>Paths in this checkout, found from the test assembly upwards (the folder holding HpcK8s.sln).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HpcK8s.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"HpcK8s.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    public static string Chart => Path.Combine(Root, "charts", "hpck8s");

    public static string Crd => Path.Combine(Chart, "crds", "computejobs.hpck8s.io.yaml");

    public static string Components => Path.Combine(Root, "components");

    public static string Examples => Path.Combine(Root, "examples");
}
