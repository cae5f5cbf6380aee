using HpcK8s.Core.Kernels;
using HpcK8s.Core.Manifests;
using HpcK8s.Core.Validation;

namespace HpcK8s.Cli;

/// <summary>Reads manifest files from disk and parses them, turning I/O failures into validation errors.</summary>
internal static class ManifestFiles
{
    public static ManifestParseResult Load(string path, KernelRegistry kernels)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var what = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            return new([], [new ValidationError("", $"cannot read the manifest: {what}") { Location = path }]);
        }

        return ManifestParser.Parse(text, path, kernels);
    }
}
