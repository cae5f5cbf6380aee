using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace HpcK8s.Dapr.Workflows;

/// <summary>Creates the gRPC channel to daprd with the settings the protocol needs.</summary>
internal static class DaprGrpcChannel
{
    /// <summary>The header daprd checks when it runs with an API token.</summary>
    public const string ApiTokenHeader = "dapr-api-token";

    /// <summary>
    /// Creates a channel (h2c for http endpoints), with keepalive pings, no receive limit unless configured, and an
    /// invoker that adds <c>dapr-api-token</c> to every call, the stream included.
    /// </summary>
    public static (GrpcChannel Channel, CallInvoker Invoker) Create(DaprWorkflowOptions options)
    {
        var endpoint = DaprSidecarEndpoint.Resolve(options.GrpcEndpoint);
        var token = DaprSidecarEndpoint.ResolveApiToken(options.ApiToken);
        var handler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        var channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = null,
        });
        CallInvoker invoker = channel.CreateCallInvoker();
        if (token is not null)
        {
            invoker = invoker.Intercept(metadata =>
            {
                metadata.Add(ApiTokenHeader, token);
                return metadata;
            });
        }

        return (channel, invoker);
    }
}
