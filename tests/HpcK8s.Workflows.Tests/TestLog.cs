using Microsoft.Extensions.Logging;

namespace HpcK8s.Workflows.Tests;

internal static partial class TestLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Text}")]
    public static partial void Note(ILogger logger, string text);
}
