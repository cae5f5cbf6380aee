namespace HpcK8s.Kubernetes;

/// <summary>Where the ComputeJob resource lives in the Kubernetes API.</summary>
public static class ComputeJobResource
{
    /// <summary>The API group.</summary>
    public const string Group = "hpck8s.io";

    /// <summary>The served and stored version.</summary>
    public const string Version = "v1alpha1";

    /// <summary><c>group/version</c>.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The kind.</summary>
    public const string Kind = "ComputeJob";

    /// <summary>The plural resource name in URLs.</summary>
    public const string Plural = "computejobs";

    /// <summary>The short name (<c>kubectl get cj</c>).</summary>
    public const string ShortName = "cj";

    /// <summary>The finalizer the operator holds while a job's workflow may still exist.</summary>
    public const string Finalizer = "hpck8s.io/cleanup";

    /// <summary>The CRD file's name (also the embedded resource's name).</summary>
    public const string CrdFileName = "computejobs.hpck8s.io.yaml";

    /// <summary>The CRD manifest, byte for byte the chart's <c>crds/computejobs.hpck8s.io.yaml</c>.</summary>
    /// <returns>The YAML text.</returns>
    public static string ReadCrdYaml()
    {
        using var stream = typeof(ComputeJobResource).Assembly.GetManifestResourceStream(CrdFileName)
            ?? throw new InvalidOperationException($"the embedded resource {CrdFileName} is missing from {typeof(ComputeJobResource).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
