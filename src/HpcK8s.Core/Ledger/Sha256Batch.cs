using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HpcK8s.Core.Ledger;

/// <summary>Multi-buffer SHA-256: hashes many independent short messages at once, one message per 32-bit SIMD lane
/// (16 in <see cref="Vector512{T}"/>, 8 in <see cref="Vector256{T}"/>).</summary>
/// <remarks>
/// <para>The ledger hashes millions of tiny messages (≈71-byte leaves, 65-byte Merkle nodes: two compression blocks
/// each), where per-call overhead dominates and .NET exposes no SHA-NI intrinsics. Running the plain FIPS 180-4
/// compression function on 16 messages side by side removes the per-call cost and keeps every SIMD lane busy.</para>
/// <para>Lanes are refilled as soon as their message ends, so messages of different lengths mix freely. Each message
/// gets standard SHA-256 padding, so every digest is bit-identical to <see cref="Sha256.Hash(ReadOnlySpan{byte})"/>;
/// batches too small to fill the lanes, and the tail of a batch, go through <see cref="Sha256"/> one at a time.</para>
/// </remarks>
[SkipLocalsInit]
internal static class Sha256Batch
{
    // Below these counts a half-empty vector step costs more than hashing the messages one by one through libcrypto.
    private const int Vector512MinMessages = 10;
    private const int Vector256MinMessages = 5;

    // vpternlogd truth tables over (x, y, z) = (0xF0, 0xCC, 0xAA).
    private const byte Xor3 = 0x96;
    private const byte Select = 0xCA;
    private const byte Major = 0xE8;

    /// <summary>Whether the 16-lane path can run here.</summary>
    public static bool IsVector512Supported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && BitConverter.IsLittleEndian;

    /// <summary>Whether the 8-lane path can run here.</summary>
    public static bool IsVector256Supported => Vector256.IsHardwareAccelerated && Avx2.IsSupported && BitConverter.IsLittleEndian;

    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static ReadOnlySpan<uint> InitialState =>
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>Hashes consecutive slices of <paramref name="data"/>: message i is
    /// <c>data[ends[i-1]..ends[i]]</c> (message 0 starts at 0).</summary>
    /// <param name="data">The messages, back to back.</param>
    /// <param name="ends">Where each message ends; non-decreasing, at most <c>data.Length</c>.</param>
    /// <param name="digests">Receives one digest per message.</param>
    /// <param name="path">The code path; <see cref="Sha256BatchPath.Auto"/> except in tests.</param>
    public static void Hash(ReadOnlySpan<byte> data, ReadOnlySpan<int> ends, Span<Hash256> digests, Sha256BatchPath path = Sha256BatchPath.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digests.Length, ends.Length, nameof(digests));
        var previous = 0;
        foreach (var end in ends)
        {
            if (end < previous || end > data.Length)
            {
                throw new ArgumentException($"message ends must be non-decreasing and within the {data.Length} data bytes, got {end} after {previous}", nameof(ends));
            }

            previous = end;
        }

        var source = new MessageSource(data, ends);
        Run(ref source, digests, path);
    }

    /// <summary>Merkle node hashes of neighbouring pairs: <c>parents[i] = SHA-256(0x01 ‖ children[2i] ‖ children[2i+1])</c>.</summary>
    /// <param name="children">The lower level; a lone last child is ignored.</param>
    /// <param name="parents">Receives <c>children.Length / 2</c> hashes; may be the start of <paramref name="children"/>
    /// itself (each pair is read before any parent at or after its index is written).</param>
    /// <param name="path">The code path; <see cref="Sha256BatchPath.Auto"/> except in tests.</param>
    public static void HashNodes(ReadOnlySpan<Hash256> children, Span<Hash256> parents, Sha256BatchPath path = Sha256BatchPath.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parents.Length, children.Length / 2, nameof(parents));
        var source = new NodeSource(children);
        Run(ref source, parents, path);
    }

    private static void Run<TSource>(scoped ref TSource source, Span<Hash256> digests, Sha256BatchPath path)
        where TSource : IMessageSource, allows ref struct
    {
        var count = source.Count;
        var done = 0;
        switch (path)
        {
            case Sha256BatchPath.Vector512:
                ThrowIfUnsupported(IsVector512Supported, path);
                done = HashLanes<Lanes16, Vector512<uint>, TSource>(ref source, digests, 0, count);
                break;
            case Sha256BatchPath.Vector256:
                ThrowIfUnsupported(IsVector256Supported, path);
                done = HashLanes<Lanes8, Vector256<uint>, TSource>(ref source, digests, 0, count);
                break;
            case Sha256BatchPath.Auto:
                if (IsVector512Supported)
                {
                    // Whole groups of 16, and the remainder too when it fills most of the lanes.
                    var end = count % 16 >= Vector512MinMessages ? count : count - (count % 16);
                    done = HashLanes<Lanes16, Vector512<uint>, TSource>(ref source, digests, 0, end);
                }

                if (IsVector256Supported && count - done >= Vector256MinMessages)
                {
                    done = HashLanes<Lanes8, Vector256<uint>, TSource>(ref source, digests, done, count);
                }

                break;
            case Sha256BatchPath.Scalar:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "unknown SHA-256 batch path");
        }

        for (var i = done; i < count; i++)
        {
            digests[i] = source.HashOne(i);
        }
    }

    private static void ThrowIfUnsupported(bool supported, Sha256BatchPath path)
    {
        if (!supported)
        {
            throw new PlatformNotSupportedException($"the {path} SHA-256 path needs hardware this machine lacks");
        }
    }

    /// <summary>Hashes messages <paramref name="start"/> to <paramref name="end"/> in SIMD lanes; returns <paramref name="end"/>.</summary>
    private static int HashLanes<TLanes, TVector, TSource>(scoped ref TSource source, Span<Hash256> digests, int start, int end)
        where TLanes : struct, ILanes<TVector>
        where TVector : unmanaged
        where TSource : IMessageSource, allows ref struct
    {
        var lanes = TLanes.Count;
        Span<uint> state = stackalloc uint[8 * 16];
        Span<uint> rows = stackalloc uint[16 * 16];
        Span<int> message = stackalloc int[16];
        Span<int> block = stackalloc int[16];
        Span<int> blocks = stackalloc int[16];
        message.Fill(-1);
        var next = start;
        while (true)
        {
            var active = 0;
            for (var lane = 0; lane < lanes; lane++)
            {
                if (message[lane] < 0)
                {
                    if (next >= end)
                    {
                        continue;
                    }

                    message[lane] = next;
                    block[lane] = 0;
                    blocks[lane] = source.BlockCount(next);
                    next++;
                    for (var j = 0; j < 8; j++)
                    {
                        state[(j * lanes) + lane] = InitialState[j];
                    }
                }

                // Idle lanes keep whatever words they last had: their state is garbage nobody reads.
                source.WriteBlock(message[lane], block[lane], lane, rows.Slice(16 * lane, 16));
                active++;
            }

            if (active == 0)
            {
                return end;
            }

            Compress<TLanes, TVector>(state, rows);
            for (var lane = 0; lane < lanes; lane++)
            {
                if (message[lane] >= 0 && ++block[lane] == blocks[lane])
                {
                    digests[message[lane]] = new Hash256(
                        ((ulong)state[lane] << 32) | state[lanes + lane],
                        ((ulong)state[(2 * lanes) + lane] << 32) | state[(3 * lanes) + lane],
                        ((ulong)state[(4 * lanes) + lane] << 32) | state[(5 * lanes) + lane],
                        ((ulong)state[(6 * lanes) + lane] << 32) | state[(7 * lanes) + lane]);
                    message[lane] = -1;
                }
            }
        }
    }

    /// <summary>One compression (FIPS 180-4 §6.2.2) in every lane: <paramref name="state"/> holds word j of lane l at
    /// <c>j * lanes + l</c>, <paramref name="rows"/> the 16 message words of lane l at <c>16 * l</c>.</summary>
    private static void Compress<TLanes, TVector>(Span<uint> state, ReadOnlySpan<uint> rows)
        where TLanes : struct, ILanes<TVector>
        where TVector : unmanaged
    {
        var n = TLanes.Count;
        ref var s = ref MemoryMarshal.GetReference(state);
        ref var k = ref MemoryMarshal.GetReference(RoundConstants);

        // Before the state is loaded: a call here would spill a..h, which every round then reloads.
        Unsafe.SkipInit(out Schedule<TVector> w);
        TLanes.Transpose(ref MemoryMarshal.GetReference(rows), ref w);
        var a = TLanes.Load(ref s);
        var b = TLanes.Load(ref Unsafe.Add(ref s, n));
        var c = TLanes.Load(ref Unsafe.Add(ref s, 2 * n));
        var d = TLanes.Load(ref Unsafe.Add(ref s, 3 * n));
        var e = TLanes.Load(ref Unsafe.Add(ref s, 4 * n));
        var f = TLanes.Load(ref Unsafe.Add(ref s, 5 * n));
        var g = TLanes.Load(ref Unsafe.Add(ref s, 6 * n));
        var h = TLanes.Load(ref Unsafe.Add(ref s, 7 * n));
        for (var t = 0; t < 64; t++)
        {
            var wt = w[t & 15];
            if (t >= 16)
            {
                wt = TLanes.Add(
                    TLanes.Add(TLanes.SmallSigma1(w[(t - 2) & 15]), w[(t - 7) & 15]),
                    TLanes.Add(TLanes.SmallSigma0(w[(t - 15) & 15]), wt));
                w[t & 15] = wt;
            }

            var t1 = TLanes.Add(
                TLanes.Add(h, TLanes.Add(wt, Unsafe.Add(ref k, t))),
                TLanes.Add(TLanes.BigSigma1(e), TLanes.Choose(e, f, g)));
            var t2 = TLanes.Add(TLanes.BigSigma0(a), TLanes.Majority(a, b, c));
            h = g;
            g = f;
            f = e;
            e = TLanes.Add(d, t1);
            d = c;
            c = b;
            b = a;
            a = TLanes.Add(t1, t2);
        }

        TLanes.Store(TLanes.Add(a, TLanes.Load(ref s)), ref s);
        TLanes.Store(TLanes.Add(b, TLanes.Load(ref Unsafe.Add(ref s, n))), ref Unsafe.Add(ref s, n));
        TLanes.Store(TLanes.Add(c, TLanes.Load(ref Unsafe.Add(ref s, 2 * n))), ref Unsafe.Add(ref s, 2 * n));
        TLanes.Store(TLanes.Add(d, TLanes.Load(ref Unsafe.Add(ref s, 3 * n))), ref Unsafe.Add(ref s, 3 * n));
        TLanes.Store(TLanes.Add(e, TLanes.Load(ref Unsafe.Add(ref s, 4 * n))), ref Unsafe.Add(ref s, 4 * n));
        TLanes.Store(TLanes.Add(f, TLanes.Load(ref Unsafe.Add(ref s, 5 * n))), ref Unsafe.Add(ref s, 5 * n));
        TLanes.Store(TLanes.Add(g, TLanes.Load(ref Unsafe.Add(ref s, 6 * n))), ref Unsafe.Add(ref s, 6 * n));
        TLanes.Store(TLanes.Add(h, TLanes.Load(ref Unsafe.Add(ref s, 7 * n))), ref Unsafe.Add(ref s, 7 * n));
    }

    /// <summary>Where the messages come from and how each is cut into padded 64-byte blocks.</summary>
    private interface IMessageSource
    {
        int Count { get; }

        int BlockCount(int message);

        /// <summary>Writes block <paramref name="block"/> of <paramref name="message"/>, the one in SIMD lane
        /// <paramref name="lane"/>, as 16 words (read big-endian) to <paramref name="row"/>; the blocks of one message are
        /// asked for in order.</summary>
        void WriteBlock(int message, int block, int lane, scoped Span<uint> row);

        Hash256 HashOne(int message);
    }

    /// <summary>The SHA-256 functions on a vector of independent 32-bit lanes.</summary>
    private interface ILanes<TVector>
        where TVector : unmanaged
    {
        static abstract int Count { get; }

        static abstract TVector Load(ref uint source);

        /// <summary>Turns one row of 16 words per lane (at <c>16 * lane</c>) into 16 vectors of word t of every lane.</summary>
        static abstract void Transpose(ref uint rows, ref Schedule<TVector> words);

        static abstract void Store(TVector value, ref uint destination);

        static abstract TVector Add(TVector x, TVector y);

        static abstract TVector Add(TVector x, uint y);

        static abstract TVector BigSigma0(TVector x);

        static abstract TVector BigSigma1(TVector x);

        static abstract TVector SmallSigma0(TVector x);

        static abstract TVector SmallSigma1(TVector x);

        static abstract TVector Choose(TVector x, TVector y, TVector z);

        static abstract TVector Majority(TVector x, TVector y, TVector z);
    }

    /// <summary>Message words 16 rounds back: the ring that feeds the message schedule.</summary>
    [InlineArray(16)]
    private struct Schedule<T>
    {
        private T _element;
    }

    /// <summary>Byte messages back to back, with standard padding appended on the fly.</summary>
    private readonly ref struct MessageSource : IMessageSource
    {
        private readonly ReadOnlySpan<byte> _data;
        private readonly ReadOnlySpan<int> _ends;

        public MessageSource(ReadOnlySpan<byte> data, ReadOnlySpan<int> ends)
        {
            _data = data;
            _ends = ends;
        }

        public int Count => _ends.Length;

        // The message, one 0x80 byte and the 8-byte bit length, rounded up to whole blocks.
        public int BlockCount(int message) => (Message(message).Length + 9 + 63) >> 6;

        public void WriteBlock(int message, int block, int lane, scoped Span<uint> row)
        {
            var bytes = Message(message);
            var offset = block * 64;
            if (offset + 64 <= bytes.Length)
            {
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(bytes.Slice(offset, 64)), row);
                return;
            }

            Span<byte> padded = stackalloc byte[64];
            padded.Clear();
            var tail = bytes.Length - offset;
            if (tail > 0)
            {
                bytes[offset..].CopyTo(padded);
            }

            if (tail is >= 0 and < 64)
            {
                padded[tail] = 0x80;
            }

            if (block == BlockCount(message) - 1)
            {
                BinaryPrimitives.WriteUInt64BigEndian(padded[56..], (ulong)bytes.Length * 8);
            }

            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(padded), row);
        }

        public Hash256 HashOne(int message) => Sha256.Hash(Message(message));

        private ReadOnlySpan<byte> Message(int message)
        {
            var start = message == 0 ? 0 : _ends[message - 1];
            return _data[start.._ends[message]];
        }
    }

    /// <summary>Merkle nodes 0x01 ‖ left ‖ right (65 bytes, two blocks) built straight from the hashes' words.</summary>
    private ref struct NodeSource : IMessageSource
    {
        private readonly ReadOnlySpan<Hash256> _children;

        // Hash256 holds the digest as four big-endian-read ulongs (H0‖H1, …, H6‖H7) in field order.
        private readonly ReadOnlySpan<ulong> _words;

        // Each lane's last digest word, for its second block: the pair itself may be overwritten by then.
        private Schedule<uint> _lastWord;

        public NodeSource(ReadOnlySpan<Hash256> children)
        {
            _children = children;
            _words = MemoryMarshal.Cast<Hash256, ulong>(children);
        }

        public readonly int Count => _children.Length / 2;

        public readonly int BlockCount(int message) => 2;

        public void WriteBlock(int message, int block, int lane, scoped Span<uint> row)
        {
            if (block == 1)
            {
                // Last digest byte, the 0x80 terminator, zeros, and the length: 65 bytes = 520 bits.
                row.Clear();
                row[0] = (_lastWord[lane] << 24) | 0x0080_0000;
                row[15] = 65 * 8;
                return;
            }

            // The 0x01 prefix shifts the 64 digest bytes right by one byte across word boundaries.
            var pair = _words.Slice(8 * message, 8);
            if (Avx512F.IsSupported)
            {
                // Rotating each ulong by 32 puts H0 before H1; valignd brings in the prefix and shifts by one word.
                var x = Avx512F.RotateLeft(Vector512.Create(pair), 32).AsUInt32();
                var previous = Avx512F.AlignRight32(x, Vector512.Create((uint)MerkleTree.NodePrefix), 15);
                (Vector512.ShiftLeft(previous, 24) | Vector512.ShiftRightLogical(x, 8)).CopyTo(row);
                _lastWord[lane] = x.GetElement(15);
                return;
            }

            var carry = (uint)MerkleTree.NodePrefix;
            for (var i = 0; i < 8; i++)
            {
                var high = (uint)(pair[i] >> 32);
                var low = (uint)pair[i];
                row[2 * i] = (carry << 24) | (high >> 8);
                row[(2 * i) + 1] = (high << 24) | (low >> 8);
                carry = low;
            }

            _lastWord[lane] = carry;
        }

        public readonly Hash256 HashOne(int message) => MerkleTree.HashNode(_children[2 * message], _children[(2 * message) + 1]);
    }

    /// <summary>16 lanes in AVX-512: native rotates, and ternary logic for the three-input functions.</summary>
    private readonly struct Lanes16 : ILanes<Vector512<uint>>
    {
        public static int Count => 16;

        public static Vector512<uint> Load(ref uint source) => Vector512.LoadUnsafe(ref source);

        // 16x16 words in four rounds of 16 shuffles: words, then pairs, within 128-bit quarters; then quarters.
        public static void Transpose(ref uint rows, ref Schedule<Vector512<uint>> words)
        {
            Unsafe.SkipInit(out Schedule<Vector512<uint>> a);
            for (var k = 0; k < 16; k += 2)
            {
                var r0 = Vector512.LoadUnsafe(ref rows, (nuint)(16 * k));
                var r1 = Vector512.LoadUnsafe(ref rows, (nuint)(16 * (k + 1)));
                a[k] = Avx512F.UnpackLow(r0, r1);
                a[k + 1] = Avx512F.UnpackHigh(r0, r1);
            }

            // b[4k + m], quarter j: word 4j + m of rows 4k .. 4k + 3.
            Unsafe.SkipInit(out Schedule<Vector512<uint>> b);
            for (var k = 0; k < 16; k += 4)
            {
                b[k] = Avx512F.UnpackLow(a[k].AsUInt64(), a[k + 2].AsUInt64()).AsUInt32();
                b[k + 1] = Avx512F.UnpackHigh(a[k].AsUInt64(), a[k + 2].AsUInt64()).AsUInt32();
                b[k + 2] = Avx512F.UnpackLow(a[k + 1].AsUInt64(), a[k + 3].AsUInt64()).AsUInt32();
                b[k + 3] = Avx512F.UnpackHigh(a[k + 1].AsUInt64(), a[k + 3].AsUInt64()).AsUInt32();
            }

            for (var m = 0; m < 4; m++)
            {
                var lowHalves = Avx512F.Shuffle4x128(b[m], b[4 + m], 0x44);
                var highHalves = Avx512F.Shuffle4x128(b[m], b[4 + m], 0xEE);
                var lowHalves2 = Avx512F.Shuffle4x128(b[8 + m], b[12 + m], 0x44);
                var highHalves2 = Avx512F.Shuffle4x128(b[8 + m], b[12 + m], 0xEE);
                words[m] = Avx512F.Shuffle4x128(lowHalves, lowHalves2, 0x88);
                words[4 + m] = Avx512F.Shuffle4x128(lowHalves, lowHalves2, 0xDD);
                words[8 + m] = Avx512F.Shuffle4x128(highHalves, highHalves2, 0x88);
                words[12 + m] = Avx512F.Shuffle4x128(highHalves, highHalves2, 0xDD);
            }
        }

        public static void Store(Vector512<uint> value, ref uint destination) => value.StoreUnsafe(ref destination);

        public static Vector512<uint> Add(Vector512<uint> x, Vector512<uint> y) => x + y;

        public static Vector512<uint> Add(Vector512<uint> x, uint y) => x + Vector512.Create(y);

        public static Vector512<uint> BigSigma0(Vector512<uint> x) =>
            Avx512F.TernaryLogic(Avx512F.RotateRight(x, 2), Avx512F.RotateRight(x, 13), Avx512F.RotateRight(x, 22), Xor3);

        public static Vector512<uint> BigSigma1(Vector512<uint> x) =>
            Avx512F.TernaryLogic(Avx512F.RotateRight(x, 6), Avx512F.RotateRight(x, 11), Avx512F.RotateRight(x, 25), Xor3);

        public static Vector512<uint> SmallSigma0(Vector512<uint> x) =>
            Avx512F.TernaryLogic(Avx512F.RotateRight(x, 7), Avx512F.RotateRight(x, 18), Vector512.ShiftRightLogical(x, 3), Xor3);

        public static Vector512<uint> SmallSigma1(Vector512<uint> x) =>
            Avx512F.TernaryLogic(Avx512F.RotateRight(x, 17), Avx512F.RotateRight(x, 19), Vector512.ShiftRightLogical(x, 10), Xor3);

        public static Vector512<uint> Choose(Vector512<uint> x, Vector512<uint> y, Vector512<uint> z) => Avx512F.TernaryLogic(x, y, z, Select);

        public static Vector512<uint> Majority(Vector512<uint> x, Vector512<uint> y, Vector512<uint> z) => Avx512F.TernaryLogic(x, y, z, Major);
    }

    /// <summary>8 lanes in AVX2, using the AVX-512VL rotate and ternary logic when the CPU has them.</summary>
    private readonly struct Lanes8 : ILanes<Vector256<uint>>
    {
        public static int Count => 8;

        public static Vector256<uint> Load(ref uint source) => Vector256.LoadUnsafe(ref source);

        // Two 8x8 transposes (words 0-7, then 8-15), each in three rounds of 8 shuffles.
        public static void Transpose(ref uint rows, ref Schedule<Vector256<uint>> words)
        {
            for (var half = 0; half < 16; half += 8)
            {
                Unsafe.SkipInit(out Schedule<Vector256<uint>> a);
                for (var k = 0; k < 8; k += 2)
                {
                    var r0 = Vector256.LoadUnsafe(ref rows, (nuint)((16 * k) + half));
                    var r1 = Vector256.LoadUnsafe(ref rows, (nuint)((16 * (k + 1)) + half));
                    a[k] = Avx2.UnpackLow(r0, r1);
                    a[k + 1] = Avx2.UnpackHigh(r0, r1);
                }

                // b[4k + m], 128-bit half j: word 4j + m of rows 4k .. 4k + 3.
                Unsafe.SkipInit(out Schedule<Vector256<uint>> b);
                for (var k = 0; k < 8; k += 4)
                {
                    b[k] = Avx2.UnpackLow(a[k].AsUInt64(), a[k + 2].AsUInt64()).AsUInt32();
                    b[k + 1] = Avx2.UnpackHigh(a[k].AsUInt64(), a[k + 2].AsUInt64()).AsUInt32();
                    b[k + 2] = Avx2.UnpackLow(a[k + 1].AsUInt64(), a[k + 3].AsUInt64()).AsUInt32();
                    b[k + 3] = Avx2.UnpackHigh(a[k + 1].AsUInt64(), a[k + 3].AsUInt64()).AsUInt32();
                }

                for (var m = 0; m < 4; m++)
                {
                    words[half + m] = Avx2.Permute2x128(b[m], b[4 + m], 0x20);
                    words[half + 4 + m] = Avx2.Permute2x128(b[m], b[4 + m], 0x31);
                }
            }
        }

        public static void Store(Vector256<uint> value, ref uint destination) => value.StoreUnsafe(ref destination);

        public static Vector256<uint> Add(Vector256<uint> x, Vector256<uint> y) => x + y;

        public static Vector256<uint> Add(Vector256<uint> x, uint y) => x + Vector256.Create(y);

        public static Vector256<uint> BigSigma0(Vector256<uint> x) => Xor(Rotate(x, 2), Rotate(x, 13), Rotate(x, 22));

        public static Vector256<uint> BigSigma1(Vector256<uint> x) => Xor(Rotate(x, 6), Rotate(x, 11), Rotate(x, 25));

        public static Vector256<uint> SmallSigma0(Vector256<uint> x) => Xor(Rotate(x, 7), Rotate(x, 18), Vector256.ShiftRightLogical(x, 3));

        public static Vector256<uint> SmallSigma1(Vector256<uint> x) => Xor(Rotate(x, 17), Rotate(x, 19), Vector256.ShiftRightLogical(x, 10));

        public static Vector256<uint> Choose(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) =>
            Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(x, y, z, Select) : Vector256.ConditionalSelect(x, y, z);

        // Where x and y differ the majority is z, elsewhere it is y.
        public static Vector256<uint> Majority(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) =>
            Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(x, y, z, Major) : Vector256.ConditionalSelect(x ^ y, z, y);

        // Inlined so that the count reaches vprold as an immediate.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<uint> Rotate(Vector256<uint> x, [ConstantExpected] byte count) =>
            Avx512F.VL.IsSupported
                ? Avx512F.VL.RotateRight(x, count)
                : Vector256.ShiftRightLogical(x, count) | Vector256.ShiftLeft(x, 32 - count);

        private static Vector256<uint> Xor(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) =>
            Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(x, y, z, Xor3) : x ^ y ^ z;
    }
}
