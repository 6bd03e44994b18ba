using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using MiniNet.Data;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;
using Xunit.Abstractions;

namespace MiniNet.Tests.Reliability;

/// <summary>
/// Seeded fuzzing of every file parser: each input must load or throw the parser's documented exception (never
/// another type), and allocate at most <c>C + k * budget</c> bytes. The constants:
/// <list type="bullet">
/// <item><c>C</c> covers what a load allocates regardless of size: the FileStream buffer (4 KiB), exception objects,
/// messages and stack traces, a few small arrays: 32 KiB for plain files (about 3x the largest seen, 10 KiB); 128 KiB
/// for training checkpoints (metadata dictionary, parsed strings; about 2x the 66 KiB seen); 256 KiB for gzip,
/// which adds the inflater's buffers and the IDX reader's first data chunk of up to 64 KiB.</item>
/// <item>IDX (<see cref="Idx.Read"/>): <c>k = 1</c> of the file length. The only size-dependent allocation is the data
/// array, whose size the reader checks against the bytes present before allocating.</item>
/// <item>IDX gzip: <c>k = 4</c> of the decompressed length (the bound this test allows is what the stream really
/// inflates to, not what the header claims). The data buffer grows by doubling as bytes arrive, so the arrays
/// allocated sum to under 2x the final one, which is under 2x the bytes received.</item>
/// <item>safetensors: <c>k = 24</c> of the file length. Data tensors cost 1x; the header JSON is parsed into strings
/// (2 bytes per char), <c>List&lt;long&gt;</c>s (8 bytes per number of at least 2 JSON bytes, times 2 for growth) and
/// records, and the header is read twice (once to pick the dtype); 24 is well above that and still excludes a
/// size read from the header.</item>
/// </list>
/// </summary>
public sealed class ParserFuzzTests : IDisposable
{
    private const long Constant = 32 * 1024, GzipConstant = 256 * 1024, CheckpointConstant = 128 * 1024;
    private static readonly uint[] Extremes = { 0, 0xFFFFFFFF, int.MaxValue, 0x80000000, 1, 0x40000000 };
    private static readonly ulong[] Extremes64 = { 0, ulong.MaxValue, int.MaxValue, 1UL << 31, 1UL << 62, long.MaxValue, 1UL << 63 };
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-fuzz-").FullName;
    private readonly ITestOutputHelper _output;

    public ParserFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Finish(FuzzHarness harness, string parser)
    {
        _output.WriteLine(harness.Summary(parser));
        harness.Failures.Should().BeEmpty(harness.Report());
        harness.Loaded.Should().BePositive("the valid seeds must load");
        harness.Rejected.Should().BePositive();
    }

    private static byte[] Idx(int magic, int[] dims, int seed)
    {
        int count = 1;
        foreach (int d in dims)
        {
            count *= d;
        }

        var rng = new Rng((ulong)seed);
        var data = new byte[count];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)rng.NextInt(256);
        }

        return Data.IdxTests.IdxBytes(magic, dims, data);
    }

    private static object? LoadIdx(string path)
    {
        // The magic decides which reader runs, so a flipped magic byte exercises the other path too.
        byte[] head = new byte[4];
        using (FileStream f = File.OpenRead(path))
        {
            f.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        }

        return head[3] == 1 ? MiniNet.Data.Idx.ReadLabels(path) : MiniNet.Data.Idx.Read(path, MiniNet.Data.Idx.ImagesMagic);
    }

    [Fact]
    public void Idx_Plain_RandomTruncatedBitFlippedAndExtremeHeaders_LoadOrThrowIdxFormatException()
    {
        var harness = new FuzzHarness(_dir, "f.idx", LoadIdx, typeof(IdxFormatException), Constant, factor: 1);
        byte[][] seeds = { Idx(MiniNet.Data.Idx.ImagesMagic, new[] { 3, 4, 5 }, 1), Idx(MiniNet.Data.Idx.LabelsMagic, new[] { 7 }, 2), Idx(MiniNet.Data.Idx.ImagesMagic, new[] { 0, 28, 28 }, 3) };
        RunCommon(harness, seeds, rng: new Rng(11), headerWords: 4);
        Finish(harness, "IDX (plain)");
    }

    [Fact]
    public void Idx_Gzip_RandomTruncatedBitFlippedAndBombs_LoadOrThrowIdxFormatException()
    {
        var harness = new FuzzHarness(_dir, "f.idx.gz", LoadIdx, typeof(IdxFormatException), GzipConstant, factor: 4);
        var rng = new Rng(12);
        byte[][] raws = { Idx(MiniNet.Data.Idx.ImagesMagic, new[] { 3, 4, 5 }, 1), Idx(MiniNet.Data.Idx.LabelsMagic, new[] { 7 }, 2) };
        foreach (byte[] raw in raws)
        {
            byte[] gz = Data.IdxTests.Gzip(raw);
            RunGz(harness, "gz seed", gz);
            for (int length = 0; length < gz.Length; length++)
            {
                RunGz(harness, $"gz cut at {length}", gz[..length]);
            }

            for (int bit = 0; bit < gz.Length * 8; bit++)
            {
                RunGz(harness, $"gz bit {bit}", Mutate.FlipBit(gz, bit));
            }

            // Mutate the IDX header inside the compressed stream: extreme dims that deflate faithfully delivers.
            for (int word = 0; word < 4; word++)
            {
                foreach (uint value in Extremes)
                {
                    byte[] header = (byte[])raw.Clone();
                    if (4 + (4 * word) + 4 <= header.Length)
                    {
                        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 * word), value);
                        RunGz(harness, $"gz header word {word} = {value}", Data.IdxTests.Gzip(header));
                    }
                }
            }

            for (int i = 0; i < 300; i++)
            {
                RunGz(harness, $"gz havoc {i}", Mutate.Havoc(rng, gz));
                RunGz(harness, $"gz of havoc {i}", Data.IdxTests.Gzip(Mutate.Havoc(rng, raw)));
            }
        }

        // Bombs: a header claiming ~16M or ~2G bytes over 4 MiB of zeros (a few KB compressed), and an honest 4 MiB file.
        foreach (int side in new[] { 4096, 46340 })
        {
            byte[] bomb = Data.IdxTests.IdxBytes(MiniNet.Data.Idx.ImagesMagic, new[] { 1, side, side }, new byte[4 << 20]);
            RunGz(harness, $"bomb {side}^2", Data.IdxTests.Gzip(bomb));
        }

        RunGz(harness, "honest 4 MiB", Data.IdxTests.Gzip(Data.IdxTests.IdxBytes(MiniNet.Data.Idx.ImagesMagic, new[] { 4, 1024, 1024 }, new byte[4 << 20])));
        Finish(harness, "IDX (gzip)");
    }

    private static void RunGz(FuzzHarness harness, string label, byte[] gz) => harness.Run(label, gz, Math.Max(gz.Length, InflatedLength(gz)));

    // What the stream really inflates to before it ends or turns out corrupt: the budget the reader is held to.
    private static long InflatedLength(byte[] gz)
    {
        if (gz.Length < 2 || gz[0] != 0x1f || gz[1] != 0x8b)
        {
            return gz.Length;
        }

        long total = 0;
        var buffer = new byte[1 << 16];
        try
        {
            using var stream = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            // Corrupt: count what came out before.
        }

        return total;
    }

    // Shared by the binary formats: random bytes, every truncation, every single-bit flip, extreme header words
    // (`headerWords` 32-bit big-endian words for IDX; the 8-byte little-endian length for safetensors when 0), havoc.
    private static void RunCommon(FuzzHarness harness, byte[][] seeds, Rng rng, int headerWords)
    {
        for (int i = 0; i < 2000; i++)
        {
            harness.Run($"random {i}", Mutate.Random(rng, 128));
        }

        foreach (byte[] seed in seeds)
        {
            harness.Run("seed", seed);
            for (int length = 0; length < seed.Length; length++)
            {
                harness.Run($"cut at {length}", seed[..length]);
            }

            for (int bit = 0; bit < seed.Length * 8; bit++)
            {
                harness.Run($"bit {bit}", Mutate.FlipBit(seed, bit));
            }

            byte[] word = new byte[8];
            for (int w = 0; w < headerWords; w++)
            {
                foreach (uint value in Extremes)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(word, value);
                    harness.Run($"word {w} = {value}", Mutate.Overwrite(seed, 4 * w, word.AsSpan(0, 4)));
                }

                foreach (ulong value in Extremes64)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(word, value);
                    harness.Run($"words {w},{w + 1} = {value}", Mutate.Overwrite(seed, 4 * w, word));
                }
            }

            if (headerWords == 0)
            {
                foreach (ulong value in Extremes64)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(word, value);
                    harness.Run($"length = {value}", Mutate.Overwrite(seed, 0, word));
                }
            }

            for (int i = 0; i < 1000; i++)
            {
                harness.Run($"havoc {i}", Mutate.Havoc(rng, seed));
            }
        }
    }

    private static object? LoadSafeTensors(string path)
    {
        SafeTensorsHeader header = SafeTensors.ReadHeader(path);
        return header.Entries.Count > 0 && header.Entries[0].DType == "F64" ? SafeTensors.Load<double>(path) : SafeTensors.Load<float>(path);
    }

    private static byte[] SafeTensorsFile(string json, int dataLength)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (int i = 8 + header.Length; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        return bytes;
    }

    private byte[] SavedSafeTensors<T>(string name, params (string, Tensor<T>)[] tensors)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        string path = Path.Combine(_dir, name);
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["epoch"] = "3", ["ünï"] = "✓" });
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void SafeTensors_RandomTruncatedBitFlippedAndExtremeLengths_LoadOrThrowSafeTensorsFormatException()
    {
        var harness = new FuzzHarness(_dir, "f.safetensors", LoadSafeTensors, typeof(SafeTensorsFormatException), Constant, factor: 24);
        byte[][] seeds =
        {
            SavedSafeTensors("a", ("w", Tensor.Ones(2, 3)), ("b", Tensor.Scalar(2f)), ("e", Tensor.Zeros(0, 4))),
            SavedSafeTensors("b", ("x", Tensor.Ones<double>(3))),
        };
        RunCommon(harness, seeds, new Rng(13), headerWords: 0);
        Finish(harness, "safetensors (bytes)");
    }

    [Fact]
    public void SafeTensors_JsonMutations_LoadOrThrowSafeTensorsFormatException()
    {
        var harness = new FuzzHarness(_dir, "j.safetensors", LoadSafeTensors, typeof(SafeTensorsFormatException), Constant, factor: 24);
        const string Valid = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}";
        string[] replacements =
        {
            "0", "-1", "1", "2147483647", "2147483648", "4294967296", "4611686018427387904", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "1e400", "-0", "1.5", "1e3", "0x10", "NaN", "null", "true", "\"F32\"", "\"F64\"", "\"I8\"", "\"\"",
            "[]", "{}", "[1,2,3]", "[0,20]", "[16,16]", "[20,16]", "[-4,0]", "{\"a\":{}}", "{\"dtype\":\"F32\"}", "\"\\ud800\"", "\"\\u0000\"",
            "\"名前é\"", "\"a\"", "\"__metadata__\"", new string('[', 100) + new string(']', 100), "\"" + new string('x', 5000) + "\"",
        };
        var tokens = new List<(int Start, int End)>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(Valid));
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndObject or JsonTokenType.StartArray or JsonTokenType.EndArray))
            {
                int start = (int)reader.TokenStartIndex;
                tokens.Add((start, (int)reader.BytesConsumed));
            }
        }

        harness.Run("valid", SafeTensorsFile(Valid, 20));
        foreach (var (start, end) in tokens)
        {
            foreach (string replacement in replacements)
            {
                string json = string.Concat(Valid.AsSpan(0, start), replacement, Valid.AsSpan(end));
                harness.Run($"token [{start}, {end}) -> {replacement}", SafeTensorsFile(json, 20));
            }
        }

        string[] structural =
        {
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            "{\"__metadata__\":{\"k\":\"v\"},\"__metadata__\":{\"k\":\"v\"}}",
            "{\"__metadata__\":{\"k\":\"v\",\"k\":\"w\"}}",
            "{\"__metadata__\":{\"k\":{\"nested\":\"v\"}}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"more\":{\"x\":{}}}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[0,2147483647,2147483647],\"data_offsets\":[0,0]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483591,0],\"data_offsets\":[0,0]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[9223372036854775804,9223372036854775807]}}",
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[268435456],\"data_offsets\":[0,2147483648]}}",
            "{\"\\u540d\\u524d\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}",
            "{\"\\ud83d\\ude00\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            "{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + string.Join(",", Repeat("1", 65)) + "],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + string.Join(",", Repeat("1", 64)) + "],\"data_offsets\":[0,4]}}",
            "{" + string.Join(",", NumberedEntries(2000)) + "}",
            "   {}   ", "{}", "", "null", "[]", "\"x\"", "{\"a\":1}", "{\"a\":[]}", "{\"a\":null}", "{\"a\":{}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} trailing",
            "\uFEFF{}", "{/*comment*/}", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],}}",
        };
        int index = 0;
        foreach (string json in structural)
        {
            foreach (int dataLength in new[] { 0, 4, 8, 16 })
            {
                harness.Run($"structural {index} data {dataLength}", SafeTensorsFile(json, dataLength));
            }

            index++;
        }

        // Invalid UTF-8 inside a name and inside a value.
        byte[] broken = SafeTensorsFile("{\"aX\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        harness.Run("invalid utf-8 name", Mutate.Overwrite(broken, 8 + 3, new byte[] { 0xC3 }));
        harness.Run("invalid utf-8 name 2", Mutate.Overwrite(broken, 8 + 3, new byte[] { 0xFF }));
        Finish(harness, "safetensors (JSON)");
    }

    private static string[] Repeat(string value, int count)
    {
        var result = new string[count];
        Array.Fill(result, value);
        return result;
    }

    private static IEnumerable<string> NumberedEntries(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return $"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[{4 * i},{(4 * i) + 4}]}}";
        }
    }

    [Fact]
    public void TrainingCheckpoint_TruncatedAndBitFlipped_LoadOrThrowSafeTensorsFormatException()
    {
        var net = new Sequential(new Linear(2, 3, new Rng(1)), new Tanh(), new Linear(3, 1, new Rng(2)));
        var adam = new Adam(net.Parameters());
        net.Forward(Tensor.Ones(1, 2)).Sum().Backward();
        adam.Step();
        string path = Path.Combine(_dir, "seed.ckpt");
        TrainingCheckpoint.Save(path, net, adam, 1, new Rng(3));
        byte[] seed = File.ReadAllBytes(path);

        var target = new Sequential(new Linear(2, 3, new Rng(4)), new Tanh(), new Linear(3, 1, new Rng(5)));
        var targetAdam = new Adam(target.Parameters());
        var targetRng = new Rng(6);
        var harness = new FuzzHarness(_dir, "f.ckpt", p => TrainingCheckpoint.Load(p, target, targetAdam, targetRng), typeof(SafeTensorsFormatException), CheckpointConstant, factor: 24);
        harness.Run("seed", seed);
        for (int length = 0; length < seed.Length; length++)
        {
            harness.Run($"cut at {length}", seed[..length]);
        }

        for (int bit = 0; bit < seed.Length * 8; bit++)
        {
            harness.Run($"bit {bit}", Mutate.FlipBit(seed, bit));
        }

        var rng = new Rng(14);
        for (int i = 0; i < 1000; i++)
        {
            harness.Run($"havoc {i}", Mutate.Havoc(rng, seed));
        }

        Finish(harness, "training checkpoint");
    }

    [Fact]
    public void Harness_FlagsAnUndocumentedException_AndAnOversizedAllocation()
    {
        var wrongType = new FuzzHarness(_dir, "h", _ => throw new EndOfStreamException("not the documented type"), typeof(IdxFormatException), Constant, factor: 1);
        wrongType.Run("x", new byte[10]);
        wrongType.Failures.Should().ContainSingle().Which.Should().Contain("EndOfStreamException");

        var greedy = new FuzzHarness(_dir, "h", _ => new byte[100_000], typeof(IdxFormatException), Constant, factor: 1);
        greedy.Run("x", new byte[10]);
        greedy.Failures.Should().ContainSingle().Which.Should().Contain("allocated");
    }
}
