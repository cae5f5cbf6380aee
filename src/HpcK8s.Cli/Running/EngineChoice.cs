namespace HpcK8s.Cli.Running;

/// <summary>Where <c>run</c> drives the job and keeps its ledger, as chosen on the command line.</summary>
/// <param name="Engine"><c>local</c> or <c>dapr</c>.</param>
/// <param name="DaprGrpcEndpoint">The sidecar's gRPC endpoint, when given.</param>
/// <param name="Ledger"><c>sqlite</c> or <c>dapr</c>.</param>
/// <param name="SigningKeyPath">An Ed25519 key file that signs every block, when given.</param>
/// <param name="DaprHttpEndpoint">The sidecar's HTTP endpoint for service invocation of external kernels, when given.</param>
internal sealed record EngineChoice(string Engine, string? DaprGrpcEndpoint, string Ledger, string? SigningKeyPath, string? DaprHttpEndpoint = null);
