using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

/// <summary>A verifier written from docs/ledger-format.md alone: its own encoding, its own Merkle tree, plain
/// SHA256.HashData and NSec for Ed25519. It only uses our code to produce ledgers to check.</summary>
public class IndependentVerifierTests
{
    [Fact]
    public void IndependentVerifier_DocumentExample_Accepted()
    {
        var json = WorkedExampleTests.DocumentJson(WorkedExampleTests.ReadDocument());
        var publicKey = WorkedExampleTests.DocumentValues(WorkedExampleTests.ReadDocument())["publicKey.base64"];
        Assert.Equal("ok", Verify(json, Convert.FromBase64String(publicKey)));
    }

    [Fact]
    public void IndependentVerifier_OurLedgers_AcceptedAndTamperedRejected()
    {
        using var key = LedgerSigningKey.Generate();
        var publicKey = Convert.FromBase64String(key.PublicKey.ToBase64());
        var json = LedgerJson.Export(LedgerSamples.Build(shards: 13, perBlock: 5, signer: key));
        Assert.Equal("ok", Verify(json, publicKey));
        Assert.Equal("ok", Verify(LedgerJson.Export(LedgerSamples.Build(shards: 1, perBlock: 1)), null));

        Assert.Equal("block 1: entriesRoot", Verify(json.Replace("\"worker-2\"", "\"worker-X\"", StringComparison.Ordinal), publicKey));
        Assert.Equal("block 0: hash", Verify(json.Replace("15:09:26.535Z", "15:09:26.536Z", StringComparison.Ordinal), publicKey));
        Assert.StartsWith("block 0: signature", Verify(json, Convert.FromBase64String(LedgerSigningKey.Generate().PublicKey.ToBase64())));
        using var doc = JsonDocument.Parse(json);
        var blocks = doc.RootElement.GetProperty("blocks").EnumerateArray().Select(b => b.GetRawText()).ToList();
        blocks.RemoveAt(1);
        var shortened = $"{{\"ledgerId\": \"job-7\", \"blocks\": [{string.Join(',', blocks)}]}}";
        Assert.Equal("block 1: height", Verify(shortened, publicKey));
    }

    private static string Verify(string json, byte[]? publicKey)
    {
        using var doc = JsonDocument.Parse(json);
        var ledgerId = doc.RootElement.GetProperty("ledgerId").GetString()!;
        var previous = new byte[32];
        var blockHashes = new List<byte[]>();
        var i = 0;
        foreach (var block in doc.RootElement.GetProperty("blocks").EnumerateArray())
        {
            var entries = block.GetProperty("entries").EnumerateArray().Select(Entry).ToList();
            var header = Concat(
                [0x02], Str(ledgerId), U64(block.GetProperty("height").GetUInt64()), Hex(block, "previousHash"), Hex(block, "blocksRoot"),
                Hex(block, "entriesRoot"), U64(block.GetProperty("entryCount").GetUInt64()), Str(block.GetProperty("time").GetString()!));
            var hash = SHA256.HashData(header);
            if (block.GetProperty("height").GetInt64() != i)
            {
                return $"block {i}: height";
            }

            if (!Hex(block, "previousHash").SequenceEqual(previous))
            {
                return $"block {i}: previousHash";
            }

            if (!Hex(block, "blocksRoot").SequenceEqual(Mth(blockHashes)))
            {
                return $"block {i}: blocksRoot";
            }

            if (entries.Count == 0 || block.GetProperty("entryCount").GetInt32() != entries.Count || !Hex(block, "entriesRoot").SequenceEqual(Mth(entries)))
            {
                return $"block {i}: entriesRoot";
            }

            if (!Hex(block, "hash").SequenceEqual(hash))
            {
                return $"block {i}: hash";
            }

            if (publicKey is not null)
            {
                var key = NSec.Cryptography.PublicKey.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, publicKey, NSec.Cryptography.KeyBlobFormat.RawPublicKey);
                if (!block.TryGetProperty("signature", out var signature)
                    || !NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(key, hash, Convert.FromHexString(signature.GetString()!)))
                {
                    return $"block {i}: signature";
                }
            }

            previous = hash;
            blockHashes.Add(hash);
            i++;
        }

        return "ok";
    }

    private static byte[] Entry(JsonElement e) => e.GetProperty("kind").GetString() switch
    {
        "JobAccepted" => Concat([1], Str(e.GetProperty("jobName").GetString()!), Str(e.GetProperty("kernel").GetString()!), Hex(e, "specDigest")),
        "ShardCompleted" => Concat([2], U64(e.GetProperty("shard").GetUInt64()), U64(e.GetProperty("attempt").GetUInt64()), Str(e.GetProperty("worker").GetString()!),
            Hex(e, "resultDigest"), U64(e.GetProperty("durationMicroseconds").GetUInt64())),
        "JobCompleted" => Concat([3], Hex(e, "resultDigest"), Str(e.GetProperty("result").GetString()!), U64(e.GetProperty("shardCount").GetUInt64()), Hex(e, "shardsRoot")),
        "JobFailed" => Concat([4], Str(e.GetProperty("reason").GetString()!)),
        var kind => throw new InvalidDataException($"kind {kind}"),
    };

    private static byte[] Mth(List<byte[]> items)
    {
        if (items.Count == 0)
        {
            return SHA256.HashData([]);
        }

        if (items.Count == 1)
        {
            return SHA256.HashData(Concat([0], items[0]));
        }

        var k = 1;
        while (k * 2 < items.Count)
        {
            k *= 2;
        }

        return SHA256.HashData(Concat([1], Mth([.. items.Take(k)]), Mth([.. items.Skip(k)])));
    }

    private static byte[] Hex(JsonElement e, string name)
    {
        var text = e.GetProperty(name).GetString()!;
        Assert.StartsWith("sha256:", text);
        return Convert.FromHexString(text["sha256:".Length..]);
    }

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Str(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)utf8.Length);
        return Concat(length, utf8);
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
