using k8s;

namespace HpcK8s.Cli.Kube;

/// <summary>A client for the cluster of the chosen kubeconfig context, and where the command acts in it.</summary>
internal sealed class KubeTarget : IDisposable
{
    public KubeTarget(IKubernetes client, string @namespace, bool namespaceGiven, string context, string server, string kubeconfig)
    {
        Client = client;
        Namespace = @namespace;
        NamespaceGiven = namespaceGiven;
        Context = context;
        Server = server;
        Kubeconfig = kubeconfig;
    }

    public IKubernetes Client { get; }

    /// <summary><c>-n</c>, else the context's namespace, else <c>default</c>.</summary>
    public string Namespace { get; }

    /// <summary>Whether <c>-n</c> was given (then a manifest's own namespace must agree with it).</summary>
    public bool NamespaceGiven { get; }

    /// <summary>The kubeconfig context in use.</summary>
    public string Context { get; }

    /// <summary>The API server's address from the context's cluster.</summary>
    public string Server { get; }

    /// <summary>The kubeconfig file(s) the context came from, for messages.</summary>
    public string Kubeconfig { get; }

    public void Dispose() => Client.Dispose();
}
