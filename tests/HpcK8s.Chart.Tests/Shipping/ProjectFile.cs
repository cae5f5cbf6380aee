using System.Xml.Linq;

namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>An SDK-style project file, read for what an image build must copy.</summary>
public sealed class ProjectFile
{
    private readonly XDocument _xml;

    private ProjectFile(string relativePath)
    {
        RelativePath = relativePath.Replace('\\', '/');
        _xml = XDocument.Load(Path.Combine(RepoPaths.Root, RelativePath));
    }

    /// <summary>Repository-relative path of the .csproj.</summary>
    public string RelativePath { get; }

    /// <summary>Repository-relative folder of the project.</summary>
    public string Directory => Path.GetDirectoryName(RelativePath)!.Replace('\\', '/');

    /// <summary>The AssemblyName property, or the file name as MSBuild defaults it.</summary>
    public string AssemblyName =>
        _xml.Descendants("AssemblyName").Select(e => e.Value.Trim()).LastOrDefault() ?? Path.GetFileNameWithoutExtension(RelativePath);

    /// <summary>Repository-relative paths of the projects it references directly.</summary>
    public IReadOnlyList<string> ProjectReferences => Includes("ProjectReference");

    /// <summary>Repository-relative paths of its embedded resources that live outside the project folder.</summary>
    public IReadOnlyList<string> ExternalEmbeddedResources =>
        Includes("EmbeddedResource").Where(p => !p.StartsWith(Directory + "/", StringComparison.Ordinal)).ToList();

    public static ProjectFile Load(string relativePath) => new(relativePath);

    /// <summary>This project and every project it references, directly or not.</summary>
    public IReadOnlyList<ProjectFile> Closure()
    {
        var seen = new Dictionary<string, ProjectFile>(StringComparer.Ordinal);
        var pending = new Stack<ProjectFile>([this]);
        while (pending.TryPop(out var project))
        {
            if (seen.TryAdd(project.RelativePath, project))
            {
                foreach (var reference in project.ProjectReferences)
                {
                    pending.Push(Load(reference));
                }
            }
        }

        return seen.Values.OrderBy(p => p.RelativePath, StringComparer.Ordinal).ToList();
    }

    public override string ToString() => RelativePath;

    private List<string> Includes(string item) =>
        _xml.Descendants(item)
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .Select(include => Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(RepoPaths.Root, Directory, include.Replace('\\', '/')))).Replace('\\', '/'))
            .ToList();
}
