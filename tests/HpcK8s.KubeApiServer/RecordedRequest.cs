namespace HpcK8s.KubeApiServer;

/// <summary>One request the fake API server received, for assertions such as "status was written only once".</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, e.g. <c>/apis/hpck8s.io/v1alpha1/namespaces/default/computejobs/pi/status</c>.</param>
/// <param name="Query">Query string including the leading <c>?</c>, or empty.</param>
/// <param name="ContentType">The request's Content-Type, if any (tells merge patch from JSON patch).</param>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType);
