using System.Text.Encodings.Web;
using System.Text.Json;

namespace HpcK8s.Core.Ledger;

/// <summary>The JSON export format (docs/ledger-format.md): top-level <c>format</c>, <c>ledgerId</c> and <c>blocks</c>,
/// each block with its header fields, <c>hash</c>, optional <c>signature</c> and <c>entries</c>. Also proofs.</summary>
/// <remarks>Reading is strict so that no byte of an export can change without the change being caught: unknown or
/// missing properties, duplicate properties, uppercase hex, non-integer numbers all raise <see cref="LedgerFormatException"/>
/// naming the JSON path.</remarks>
public static class LedgerJson
{
    /// <summary>The value of the top-level <c>format</c> property.</summary>
    public const string Format = "hpck8s-ledger/1";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a ledger export.</summary>
    /// <param name="output">Where to write UTF-8 JSON.</param>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="blocks">The blocks in height order (streamed).</param>
    public static void Write(Stream output, string ledgerId, IEnumerable<LedgerBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(blocks);
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteString("ledgerId", ledgerId);
        json.WriteStartArray("blocks");
        foreach (var block in blocks)
        {
            json.WriteStartObject();
            WriteHeaderFields(json, block.Header);
            json.WriteString("hash", block.Hash.ToString());
            if (!block.Signature.IsEmpty)
            {
                json.WriteString("signature", Convert.ToHexStringLower(block.Signature.Span));
            }

            json.WriteStartArray("entries");
            foreach (var entry in block.Entries)
            {
                WriteEntry(json, entry);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A ledger export as a string.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <returns>JSON text.</returns>
    public static string Export(LedgerChain ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        using var stream = new MemoryStream();
        Write(stream, ledger.LedgerId, ledger.Blocks);
        return CanonicalWriter.StrictUtf8.GetString(stream.ToArray());
    }

    /// <summary>Reads a ledger export (strictly; nothing is verified yet).</summary>
    /// <param name="utf8Json">The JSON bytes.</param>
    /// <returns>The ledger.</returns>
    /// <exception cref="LedgerFormatException">When the document is not in the format, naming the JSON path.</exception>
    public static LedgerChain Import(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = Parse(utf8Json);
        var root = Object(document.RootElement, "$", ["format", "ledgerId", "blocks"], []);
        if (root["format"].GetString() != Format)
        {
            throw new LedgerFormatException($"$.format: expected '{Format}'");
        }

        var ledgerId = Text(root["ledgerId"], "$.ledgerId");
        var blocks = new List<LedgerBlock>();
        var i = 0;
        foreach (var element in Array(root["blocks"], "$.blocks"))
        {
            blocks.Add(ReadBlock(element, ledgerId, $"$.blocks[{i++}]"));
        }

        return new LedgerChain(ledgerId, blocks);
    }

    /// <summary>Reads a ledger export from text.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The ledger.</returns>
    public static LedgerChain Import(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Import(CanonicalWriter.StrictUtf8.GetBytes(json));
    }

    /// <summary>An inclusion proof as JSON (<c>type</c> = <c>inclusion</c>).</summary>
    /// <param name="proof">The proof.</param>
    /// <returns>JSON text.</returns>
    public static string Write(LedgerInclusionProof proof) => WriteDocument(json => WriteInclusion(json, proof));

    /// <summary>A shard proof as JSON (<c>type</c> = <c>shard</c>).</summary>
    /// <param name="proof">The proof.</param>
    /// <returns>JSON text.</returns>
    public static string Write(LedgerShardProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return WriteDocument(json =>
        {
            json.WriteString("type", "shard");
            json.WritePropertyName("shard");
            json.WriteStartObject();
            WriteInclusion(json, proof.Shard);
            json.WriteEndObject();
            json.WritePropertyName("completed");
            json.WriteStartObject();
            WriteInclusion(json, proof.Completed);
            json.WriteEndObject();
            WritePath(json, "shardPath", proof.ShardPath);
        });
    }

    /// <summary>A consistency proof as JSON (<c>type</c> = <c>consistency</c>).</summary>
    /// <param name="proof">The proof.</param>
    /// <returns>JSON text.</returns>
    public static string Write(LedgerConsistencyProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return WriteDocument(json =>
        {
            json.WriteString("type", "consistency");
            json.WriteNumber("oldHeight", proof.OldHeight);
            json.WriteString("oldHead", proof.OldHead.ToString());
            WriteHeaderObject(json, "newHead", proof.NewHead);
            WritePath(json, "path", proof.Path);
        });
    }

    /// <summary>Reads an inclusion proof written by <see cref="Write(LedgerInclusionProof)"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The proof.</returns>
    public static LedgerInclusionProof ReadInclusionProof(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(CanonicalWriter.StrictUtf8.GetBytes(json));
        return ReadInclusion(document.RootElement, "$", expectType: true);
    }

    /// <summary>Reads a shard proof written by <see cref="Write(LedgerShardProof)"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The proof.</returns>
    public static LedgerShardProof ReadShardProof(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(CanonicalWriter.StrictUtf8.GetBytes(json));
        var root = Object(document.RootElement, "$", ["type", "shard", "completed", "shardPath"], []);
        RequireType(root, "shard");
        return new LedgerShardProof(
            ReadInclusion(root["shard"], "$.shard", expectType: false),
            ReadInclusion(root["completed"], "$.completed", expectType: false),
            Path(root["shardPath"], "$.shardPath"));
    }

    /// <summary>Reads a consistency proof written by <see cref="Write(LedgerConsistencyProof)"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The proof.</returns>
    public static LedgerConsistencyProof ReadConsistencyProof(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(CanonicalWriter.StrictUtf8.GetBytes(json));
        var root = Object(document.RootElement, "$", ["type", "oldHeight", "oldHead", "newHead", "path"], []);
        RequireType(root, "consistency");
        return new LedgerConsistencyProof(
            Integer(root["oldHeight"], "$.oldHeight"),
            Hash(root["oldHead"], "$.oldHead"),
            ReadHeaderObject(root["newHead"], "$.newHead"),
            Path(root["path"], "$.path"));
    }

    private static string WriteDocument(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return CanonicalWriter.StrictUtf8.GetString(stream.ToArray());
    }

    private static void WriteInclusion(Utf8JsonWriter json, LedgerInclusionProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        json.WriteString("type", "inclusion");
        json.WritePropertyName("entry");
        WriteEntry(json, proof.Entry);
        json.WriteNumber("index", proof.Index);
        WriteHeaderObject(json, "block", proof.Block);
        WritePath(json, "entryPath", proof.EntryPath);
        WriteHeaderObject(json, "head", proof.Head);
        WritePath(json, "blockPath", proof.BlockPath);
    }

    private static LedgerInclusionProof ReadInclusion(JsonElement element, string path, bool expectType)
    {
        var o = Object(element, path, ["type", "entry", "index", "block", "entryPath", "head", "blockPath"], []);
        RequireType(o, "inclusion");
        return new LedgerInclusionProof(
            ReadEntry(o["entry"], path + ".entry"),
            Int(o["index"], path + ".index"),
            ReadHeaderObject(o["block"], path + ".block"),
            Path(o["entryPath"], path + ".entryPath"),
            ReadHeaderObject(o["head"], path + ".head"),
            Path(o["blockPath"], path + ".blockPath"));
    }

    private static void RequireType(Dictionary<string, JsonElement> o, string type)
    {
        if (o["type"].ValueKind != JsonValueKind.String || o["type"].GetString() != type)
        {
            throw new LedgerFormatException($"$.type: expected '{type}'");
        }
    }

    private static void WriteHeaderObject(Utf8JsonWriter json, string name, BlockHeader header)
    {
        json.WritePropertyName(name);
        json.WriteStartObject();
        json.WriteString("ledgerId", header.LedgerId);
        WriteHeaderFields(json, header);
        json.WriteEndObject();
    }

    private static BlockHeader ReadHeaderObject(JsonElement element, string path)
    {
        var o = Object(element, path, ["ledgerId", "height", "previousHash", "blocksRoot", "entriesRoot", "entryCount", "time"], []);
        return ReadHeader(o, Text(o["ledgerId"], path + ".ledgerId"), path);
    }

    private static void WriteHeaderFields(Utf8JsonWriter json, BlockHeader header)
    {
        json.WriteNumber("height", header.Height);
        json.WriteString("previousHash", header.PreviousHash.ToString());
        json.WriteString("blocksRoot", header.BlocksRoot.ToString());
        json.WriteString("entriesRoot", header.EntriesRoot.ToString());
        json.WriteNumber("entryCount", header.EntryCount);
        json.WriteString("time", header.Time);
    }

    private static BlockHeader ReadHeader(Dictionary<string, JsonElement> o, string ledgerId, string path) => new(
        ledgerId,
        Integer(o["height"], path + ".height"),
        Hash(o["previousHash"], path + ".previousHash"),
        Hash(o["blocksRoot"], path + ".blocksRoot"),
        Hash(o["entriesRoot"], path + ".entriesRoot"),
        Int(o["entryCount"], path + ".entryCount"),
        Text(o["time"], path + ".time"));

    private static LedgerBlock ReadBlock(JsonElement element, string ledgerId, string path)
    {
        var o = Object(element, path, ["height", "previousHash", "blocksRoot", "entriesRoot", "entryCount", "time", "hash", "entries"], ["signature"]);
        var header = ReadHeader(o, ledgerId, path);
        var entries = new List<LedgerEntry>();
        var j = 0;
        foreach (var entry in Array(o["entries"], path + ".entries"))
        {
            entries.Add(ReadEntry(entry, $"{path}.entries[{j++}]"));
        }

        ReadOnlyMemory<byte> signature = default;
        if (o.TryGetValue("signature", out var sig))
        {
            var hex = Text(sig, path + ".signature");
            if (hex.Length != 128 || hex.Any(c => !char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')))
            {
                throw new LedgerFormatException($"{path}.signature: expected 128 lowercase hex digits (64-byte Ed25519 signature)");
            }

            signature = Convert.FromHexString(hex);
        }

        return new LedgerBlock(header, entries, Hash(o["hash"], path + ".hash"), signature);
    }

    private static void WriteEntry(Utf8JsonWriter json, LedgerEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("kind", entry.Kind.ToString());
        switch (entry)
        {
            case JobAcceptedEntry a:
                json.WriteString("jobName", a.JobName);
                json.WriteString("kernel", a.Kernel);
                json.WriteString("specDigest", a.SpecDigest.ToString());
                break;
            case ShardCompletedEntry s:
                json.WriteNumber("shard", s.Shard);
                json.WriteNumber("attempt", s.Attempt);
                json.WriteString("worker", s.Worker);
                json.WriteString("resultDigest", s.ResultDigest.ToString());
                json.WriteNumber("durationMicroseconds", s.DurationMicroseconds);
                break;
            case JobCompletedEntry c:
                json.WriteString("resultDigest", c.ResultDigest.ToString());
                json.WriteString("result", c.Result);
                json.WriteNumber("shardCount", c.ShardCount);
                json.WriteString("shardsRoot", c.ShardsRoot.ToString());
                break;
            case JobFailedEntry f:
                json.WriteString("reason", f.Reason);
                break;
            default:
                throw new ArgumentException($"unknown entry type {entry.GetType().Name}", nameof(entry));
        }

        json.WriteEndObject();
    }

    private static LedgerEntry ReadEntry(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("kind", out var kindElement) || kindElement.ValueKind != JsonValueKind.String)
        {
            throw new LedgerFormatException($"{path}: expected an entry object with a 'kind'");
        }

        var kind = kindElement.GetString();
        try
        {
            switch (kind)
            {
                case nameof(LedgerEntryKind.JobAccepted):
                    {
                        var o = Object(element, path, ["kind", "jobName", "kernel", "specDigest"], []);
                        return new JobAcceptedEntry(Text(o["jobName"], path + ".jobName"), Text(o["kernel"], path + ".kernel"), Hash(o["specDigest"], path + ".specDigest"));
                    }

                case nameof(LedgerEntryKind.ShardCompleted):
                    {
                        var o = Object(element, path, ["kind", "shard", "attempt", "worker", "resultDigest", "durationMicroseconds"], []);
                        return new ShardCompletedEntry(
                            Int(o["shard"], path + ".shard"), Int(o["attempt"], path + ".attempt"), Text(o["worker"], path + ".worker"),
                            Hash(o["resultDigest"], path + ".resultDigest"), Integer(o["durationMicroseconds"], path + ".durationMicroseconds"));
                    }

                case nameof(LedgerEntryKind.JobCompleted):
                    {
                        var o = Object(element, path, ["kind", "resultDigest", "result", "shardCount", "shardsRoot"], []);
                        return new JobCompletedEntry(
                            Hash(o["resultDigest"], path + ".resultDigest"), Text(o["result"], path + ".result"),
                            Int(o["shardCount"], path + ".shardCount"), Hash(o["shardsRoot"], path + ".shardsRoot"));
                    }

                case nameof(LedgerEntryKind.JobFailed):
                    {
                        var o = Object(element, path, ["kind", "reason"], []);
                        return new JobFailedEntry(Text(o["reason"], path + ".reason"));
                    }

                default:
                    throw new LedgerFormatException($"{path}.kind: unknown entry kind '{kind}'");
            }
        }
        catch (ArgumentException error)
        {
            throw new LedgerFormatException($"{path}: {error.Message}", error);
        }
    }

    private static void WritePath(Utf8JsonWriter json, string name, IReadOnlyList<Hash256> path)
    {
        json.WriteStartArray(name);
        foreach (var hash in path)
        {
            json.WriteStringValue(hash.ToString());
        }

        json.WriteEndArray();
    }

    private static Hash256[] Path(JsonElement element, string path) =>
        [.. Array(element, path).Select((e, i) => Hash(e, $"{path}[{i}]"))];

    private static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
        }
        catch (JsonException error)
        {
            throw new LedgerFormatException($"not valid JSON: {error.Message}", error);
        }
    }

    private static Dictionary<string, JsonElement> Object(JsonElement element, string path, string[] required, string[] optional)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new LedgerFormatException($"{path}: expected an object");
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!required.Contains(property.Name) && !optional.Contains(property.Name))
            {
                throw new LedgerFormatException($"{path}: unknown property '{property.Name}'");
            }

            if (!result.TryAdd(property.Name, property.Value))
            {
                throw new LedgerFormatException($"{path}: duplicate property '{property.Name}'");
            }
        }

        var missing = required.FirstOrDefault(name => !result.ContainsKey(name));
        return missing is null ? result : throw new LedgerFormatException($"{path}: missing property '{missing}'");
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw new LedgerFormatException($"{path}: expected an array");

    private static string Text(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new LedgerFormatException($"{path}: expected a string");

    private static Hash256 Hash(JsonElement element, string path)
    {
        var text = Text(element, path);
        return text.StartsWith(Hash256.Prefix, StringComparison.Ordinal) && Hash256.TryParse(text, out var hash)
            ? hash
            : throw new LedgerFormatException($"{path}: expected sha256: followed by 64 lowercase hex digits");
    }

    private static long Integer(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            var raw = element.GetRawText();
            if (raw.All(char.IsAsciiDigit) && element.TryGetInt64(out var value) && value <= (1L << 53) - 1)
            {
                return value;
            }
        }

        throw new LedgerFormatException($"{path}: expected an integer from 0 to 2^53-1 written with digits only");
    }

    private static int Int(JsonElement element, string path)
    {
        var value = Integer(element, path);
        return value <= int.MaxValue ? (int)value : throw new LedgerFormatException($"{path}: {value} is out of range");
    }
}
