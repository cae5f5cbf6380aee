using System.Buffers.Binary;

namespace HpcK8s.Core.Ledger;

/// <summary>Reads the canonical binary form written by <see cref="CanonicalWriter"/>; every read is bounds-checked
/// and any malformed input raises <see cref="LedgerFormatException"/>.</summary>
internal ref struct CanonicalReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public CanonicalReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool AtEnd => _position == _data.Length;

    public byte ReadByte() => Take(1)[0];

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public int ReadInt32(string field)
    {
        var value = ReadUInt64();
        return value <= int.MaxValue ? (int)value : throw new LedgerFormatException($"{field} {value} is out of range");
    }

    public Hash256 ReadHash() => new(Take(Hash256.Size));

    public string ReadString()
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(Take(4));
        if (length > _data.Length - _position)
        {
            throw new LedgerFormatException($"string of {length} bytes runs past the end of the record");
        }

        try
        {
            return CanonicalWriter.StrictUtf8.GetString(Take((int)length));
        }
        catch (ArgumentException error)
        {
            throw new LedgerFormatException("string is not valid UTF-8", error);
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new LedgerFormatException("record ends early");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
