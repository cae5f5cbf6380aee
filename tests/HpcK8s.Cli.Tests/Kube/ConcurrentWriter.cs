using System.Text;

namespace HpcK8s.Cli.Tests.Kube;

/// <summary>A text writer the CLI may write to from any thread while the test reads what it wrote so far.</summary>
internal sealed class ConcurrentWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            _text.Append(value).Append(NewLine);
        }
    }

    public override string ToString() => Text;
}
