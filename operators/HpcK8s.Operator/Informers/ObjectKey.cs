using k8s;
using k8s.Models;

namespace HpcK8s.Operator.Informers;

/// <summary>The work queue's key: a namespaced object's namespace and name.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Name">The name.</param>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    /// <summary>The key of <paramref name="obj"/>.</summary>
    /// <param name="obj">A namespaced object.</param>
    /// <returns>Its key.</returns>
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name ?? "");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Name}";
}
