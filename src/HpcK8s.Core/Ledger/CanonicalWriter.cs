using System.Buffers.Binary;
using System.Text;

namespace HpcK8s.Core.Ledger;

/// <summary>Writes the ledger's canonical binary form (see docs/ledger-format.md): big-endian u64 integers,
/// u32-length-prefixed UTF-8 strings, raw 32-byte hashes. Reused across calls to avoid allocation.</summary>
internal sealed class CanonicalWriter
{
    /// <summary>UTF-8 that throws on lone surrogates instead of silently writing U+FFFD.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _length;

    public CanonicalWriter(int capacity = 256) => _buffer = new byte[capacity];

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public void Reset() => _length = 0;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteHash(Hash256 value)
    {
        Ensure(Hash256.Size);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += Hash256.Size;
    }

    public void WriteString(string value)
    {
        // One transcoding pass into room for the worst case (3 bytes per UTF-16 unit), then the length in front:
        // counting first and encoding second walks short strings twice.
        Ensure(4 + (3 * value.Length));
        var count = StrictUtf8.GetBytes(value, _buffer.AsSpan(_length + 4));
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)count);
        _length += 4 + count;
    }

    public byte[] ToArray() => Written.ToArray();

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
