using System.Text;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>What the suite ran and what it printed, with timestamps: the collection fixture has no test output, so
/// the tests copy the transcript into theirs.</summary>
public sealed class Transcript
{
    private readonly StringBuilder _text = new();
    private readonly DateTime _start = DateTime.UtcNow;

    /// <summary>The length so far, to copy only what came after it.</summary>
    public int Mark
    {
        get
        {
            lock (_text)
            {
                return _text.Length;
            }
        }
    }

    public void Append(string line)
    {
        lock (_text)
        {
            _text.Append('[').Append((DateTime.UtcNow - _start).ToString(@"mm\:ss", System.Globalization.CultureInfo.InvariantCulture)).Append("] ").AppendLine(line);
        }
    }

    /// <summary>Everything since <paramref name="mark"/>.</summary>
    public string Since(int mark)
    {
        lock (_text)
        {
            return _text.ToString(mark, _text.Length - mark);
        }
    }
}
