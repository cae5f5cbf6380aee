using Microsoft.Extensions.Logging;

namespace HpcK8s.Worker;

/// <summary>The worker host's log messages.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information,
        "HpcK8s worker started: Dapr gRPC {GrpcEndpoint}, Dapr HTTP {HttpEndpoint}, ledger store '{LedgerStore}', kernels {Kernels}, shutdown timeout {ShutdownTimeout}")]
    public static partial void Started(ILogger logger, string grpcEndpoint, string httpEndpoint, string ledgerStore, string kernels, TimeSpan shutdownTimeout);

    [LoggerMessage(2, LogLevel.Information,
        "HpcK8s worker stopping: readiness is down, {InFlight} shard(s) in flight get up to {ShutdownTimeout} to finish before they are abandoned")]
    public static partial void Stopping(ILogger logger, long inFlight, TimeSpan shutdownTimeout);

    [LoggerMessage(3, LogLevel.Information, "HpcK8s worker stopped with {InFlight} shard(s) still running")]
    public static partial void Stopped(ILogger logger, long inFlight);
}
