using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace HpcK8s.KubeApiServer.Internal;

/// <summary>One open watch: the filter it asked for and the newline-delimited event lines waiting to be written to it.
/// Lines are queued under the store's lock, so a watch sees events in resourceVersion order, bookmarks included.</summary>
internal sealed class WatchSubscription(ApiResource resource, string? ns, Selectors selectors, bool allowBookmarks)
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public ApiResource Resource { get; } = resource;

    public bool AllowBookmarks { get; } = allowBookmarks;

    /// <summary>Set when the test asked to cut the connection rather than end the response.</summary>
    public bool Abort { get; set; }

    public ChannelReader<string> Lines => _lines.Reader;

    public bool Covers(ObjectKey key) => key.Resource == Resource.Key && (ns is null || key.Namespace == ns);

    public bool Matches(JsonObject obj) => selectors.Matches(obj);

    /// <summary>Queues the event as this watch sees it: with a selector, an object that starts (stops) matching is ADDED (DELETED).</summary>
    public void Offer(StoredEvent e)
    {
        if (!Covers(e.Key))
        {
            return;
        }

        var now = Matches(e.Current);
        var before = e.Previous is not null && Matches(e.Previous);
        var type = (e.Type, before, now) switch
        {
            ("ADDED", _, true) => "ADDED",
            ("DELETED", _, true) => "DELETED",
            ("MODIFIED", true, true) => "MODIFIED",
            ("MODIFIED", false, true) => "ADDED",
            ("MODIFIED", true, false) => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            Send(Line(type, e.CurrentJson));
        }
    }

    public void Send(string line) => _lines.Writer.TryWrite(line);

    public void Complete() => _lines.Writer.TryComplete();

    public static string Line(string type, string objectJson) => $"{{\"type\":\"{type}\",\"object\":{objectJson}}}";
}
