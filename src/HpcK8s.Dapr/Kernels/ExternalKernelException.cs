using System.Net;

namespace HpcK8s.Dapr.Kernels;

/// <summary>An external kernel app answered a call with an error status.</summary>
public sealed class ExternalKernelException : Exception
{
    /// <summary>Creates the exception for <paramref name="appId"/>'s <paramref name="method"/>.</summary>
    public ExternalKernelException(string appId, string method, HttpStatusCode statusCode, string body)
        : base($"{appId}/{method} answered {(int)statusCode} {statusCode}: {(body.Length > 500 ? body[..500] + "…" : body)}")
    {
        StatusCode = statusCode;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ExternalKernelException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ExternalKernelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ExternalKernelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The status the app (or the sidecar) answered.</summary>
    public HttpStatusCode StatusCode { get; }
}
