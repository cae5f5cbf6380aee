using System.Net;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Informers;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HpcK8s.Operator.Reconciliation;

/// <summary>The ComputeJob calls the reconciler makes, typed, with Kubernetes' error statuses made plain.</summary>
/// <param name="client">The API client.</param>
/// <param name="fieldManager">The field manager recorded on writes.</param>
internal sealed class ComputeJobApi(IKubernetes client, string fieldManager = "hpck8s-operator")
{
    /// <summary>Reads the job; null when it does not exist.</summary>
    public async Task<V1Alpha1ComputeJob?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1ComputeJob>(
                ComputeJobResource.Group, ComputeJobResource.Version, key.Namespace, ComputeJobResource.Plural, key.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Replaces the job's metadata and spec (status is ignored by the API server); 409 when
    /// <c>metadata.resourceVersion</c> is stale.</summary>
    public Task<V1Alpha1ComputeJob> ReplaceAsync(V1Alpha1ComputeJob job, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<V1Alpha1ComputeJob>(
            job, ComputeJobResource.Group, ComputeJobResource.Version, job.Metadata.NamespaceProperty, ComputeJobResource.Plural, job.Metadata.Name,
            fieldManager: fieldManager, cancellationToken: cancellationToken);

    /// <summary>Replaces the job's status through the status subresource; 409 when <c>metadata.resourceVersion</c> is stale.</summary>
    public Task<V1Alpha1ComputeJob> ReplaceStatusAsync(V1Alpha1ComputeJob job, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<V1Alpha1ComputeJob>(
            job, ComputeJobResource.Group, ComputeJobResource.Version, job.Metadata.NamespaceProperty, ComputeJobResource.Plural, job.Metadata.Name,
            fieldManager: fieldManager, cancellationToken: cancellationToken);

    /// <summary>Deletes the job if it is still the object with <paramref name="uid"/>; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(ObjectKey key, string uid, CancellationToken cancellationToken)
    {
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                ComputeJobResource.Group, ComputeJobResource.Version, key.Namespace, ComputeJobResource.Plural, key.Name,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid }, PropagationPolicy = "Background" },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
