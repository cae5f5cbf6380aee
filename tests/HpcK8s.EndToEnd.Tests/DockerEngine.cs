using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>
/// Finds out, quickly, whether a Docker engine answers: <c>GET /_ping</c> on DOCKER_HOST, on Testcontainers'
/// <c>docker.host</c> (~/.testcontainers.properties), then on the usual sockets, each with a short timeout.
/// </summary>
public static class DockerEngine
{
    /// <summary>How long one endpoint may take to answer.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private static readonly Lazy<(string? Endpoint, string Tried)> Probe = new(ProbeAll);

    /// <summary>The endpoint that answered, or null.</summary>
    public static string? Endpoint => Probe.Value.Endpoint;

    /// <summary>Why there is no engine to use, or null when there is.</summary>
    public static string? Unavailable => Probe.Value.Endpoint is null
        ? $"No Docker engine answered GET /_ping within {ProbeTimeout.TotalSeconds:0} s at {Probe.Value.Tried}. The end-to-end tests build images and run K3s in Docker: start Docker, or point DOCKER_HOST at an engine."
        : null;

    private static (string?, string) ProbeAll()
    {
        var candidates = Candidates().Distinct(StringComparer.Ordinal).ToList();
        foreach (var candidate in candidates)
        {
            if (Ping(candidate))
            {
                return (candidate, candidate);
            }
        }

        return (null, string.Join(", ", candidates));
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host)
        {
            yield return host;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var properties = Path.Combine(home, ".testcontainers.properties");
        if (File.Exists(properties))
        {
            foreach (var line in File.ReadLines(properties))
            {
                var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && parts[0] == "docker.host" && parts[1].Length > 0)
                {
                    yield return parts[1];
                }
            }
        }

        if (OperatingSystem.IsWindows())
        {
            yield return "npipe://./pipe/docker_engine";
            yield break;
        }

        yield return "unix:///var/run/docker.sock";
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            yield return $"unix://{runtime}/docker.sock"; // rootless Docker
        }

        yield return $"unix://{home}/.docker/run/docker.sock"; // Docker Desktop
    }

    private static bool Ping(string endpoint)
    {
        try
        {
            var uri = new Uri(endpoint);
            using var socket = uri.Scheme switch
            {
                "unix" => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
                "tcp" or "http" or "https" => new Socket(SocketType.Stream, ProtocolType.Tcp),
                _ => null, // named pipes: leave it to Testcontainers, which reports its own error
            };
            if (socket is null)
            {
                return OperatingSystem.IsWindows();
            }

            if (uri.Scheme == "unix" && !File.Exists(uri.AbsolutePath))
            {
                return false;
            }

            using var timeout = new CancellationTokenSource(ProbeTimeout);
            EndPoint target = uri.Scheme == "unix" ? new UnixDomainSocketEndPoint(uri.AbsolutePath) : new DnsEndPoint(uri.Host, uri.Port);
            socket.ConnectAsync(target, timeout.Token).AsTask().GetAwaiter().GetResult();

            // A TLS endpoint does not speak plain HTTP; that it accepts connections has to do.
            if (Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY") is { Length: > 0 } || uri.Port == 2376)
            {
                return true;
            }

            socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), timeout.Token).AsTask().GetAwaiter().GetResult();
            var buffer = new byte[64];
            var read = socket.ReceiveAsync(buffer, timeout.Token).AsTask().GetAwaiter().GetResult();
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.", StringComparison.Ordinal)
                && Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or UriFormatException or IOException)
        {
            return false; // not this one; the skip reason lists every endpoint tried
        }
    }
}
