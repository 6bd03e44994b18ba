using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using FluentAssertions;
using MiniNet.Data;
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
public sealed partial class ParserFuzzTests : IDisposable
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
            RunCutsFlipsAndHavoc(harness, seed, rng);
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
        }
    }

    // The seed itself, every truncation, every single-bit flip and 1000 random multi-byte mutations of it.
    private static void RunCutsFlipsAndHavoc(FuzzHarness harness, byte[] seed, Rng rng)
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

        for (int i = 0; i < 1000; i++)
        {
            harness.Run($"havoc {i}", Mutate.Havoc(rng, seed));
        }
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
