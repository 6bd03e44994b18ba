using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using FluentAssertions;
using MiniNet.Data;
using Xunit;

namespace MiniNet.Tests.Data;

public sealed class IdxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static byte[] IdxBytes(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + (4 * dims.Length) + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * d)), dims[d]);
        }

        data.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    internal static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal))
        {
            gz.Write(raw);
        }

        return output.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Pixels(int count) => Enumerable.Range(0, count).Select(i => (byte)((i * 37) % 256)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_GoodFile_ScalesToUnitInterval(bool gzip)
    {
        byte[] pixels = Pixels(3 * 2 * 4);
        byte[] raw = IdxBytes(Idx.ImagesMagic, new[] { 3, 2, 4 }, pixels);
        string path = Write(gzip ? "images.bin" : "images.gz", gzip ? Gzip(raw) : raw);

        Tensor<float> flat = Idx.ReadImages(path);
        flat.Shape.ToArray().Should().Equal(3, 8);
        flat.ToArray().Should().Equal(pixels.Select(p => p / 255f));
        Idx.ReadImages(path, flatten: false).Shape.ToArray().Should().Equal(3, 2, 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLabels_GoodFile_ReturnsBytes(bool gzip)
    {
        byte[] labels = { 5, 0, 4, 1, 9 };
        byte[] raw = IdxBytes(Idx.LabelsMagic, new[] { 5 }, labels);
        Idx.ReadLabels(Write("labels", gzip ? Gzip(raw) : raw)).Should().Equal(labels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Throws_OnTruncatedHeader_NamingFileAndOffset(bool gzip)
    {
        byte[] raw = IdxBytes(Idx.ImagesMagic, new[] { 3, 2, 4 }, Pixels(24))[..10];
        string path = Write("short", gzip ? Gzip(raw) : raw);
        Action act = () => Idx.ReadImages(path);
        act.Should().Throw<IdxFormatException>().Where(e => e.Offset == 10 && e.FilePath == path)
            .WithMessage($"*{path}*offset 10*header*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Throws_OnTruncatedData_NamingOffset(bool gzip)
    {
        byte[] raw = IdxBytes(Idx.ImagesMagic, new[] { 3, 2, 4 }, Pixels(24))[..(16 + 20)];
        string path = Write("cut", gzip ? Gzip(raw) : raw);
        Action act = () => Idx.ReadImages(path);
        var e = act.Should().Throw<IdxFormatException>().Which;
        e.Message.Should().Contain(path);
        if (gzip)
        {
            e.Offset.Should().Be(36, "the decompressed stream ends after 20 of 24 data bytes");
        }
        else
        {
            e.Offset.Should().Be(4, "a plain file is checked against its length before reading, and the count at offset 4 is blamed");
        }
    }

    [Fact]
    public void Throws_OnTrailingBytes()
    {
        byte[] raw = IdxBytes(Idx.LabelsMagic, new[] { 2 }, new byte[] { 1, 2, 3 });
        Action act = () => Idx.ReadLabels(Write("long", raw));
        act.Should().Throw<IdxFormatException>().WithMessage("*offset 10*trailing*");
    }

    [Fact]
    public void Throws_OnWrongMagic_NamingBoth()
    {
        byte[] raw = IdxBytes(Idx.LabelsMagic, new[] { 2 }, new byte[] { 1, 2 });
        Action act = () => Idx.ReadImages(Write("labels-as-images", raw));
        act.Should().Throw<IdxFormatException>().WithMessage("*offset 0*0x00000801*0x00000803*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HostileHeader_HugeCount_ThrowsWithoutAllocating(bool gzip)
    {
        // count = 2^31 - 1 images of 28x28 in a 20-byte file.
        byte[] raw = IdxBytes(Idx.ImagesMagic, new[] { int.MaxValue, 28, 28 }, new byte[4]);
        string path = Write("hostile", gzip ? Gzip(raw) : raw);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Action act = () => Idx.ReadImages(path);
        act.Should().Throw<IdxFormatException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20, "a lying header must not drive the allocation");
    }

    [Fact]
    public void HostileHeader_ModestLieInGzip_AllocatesOnlyWhatArrives()
    {
        // Claims 1000 x 28 x 28 bytes (784 KB: plausible for a ~1 KB gzip at deflate's 1032:1 limit) but holds 1000.
        var noise = new byte[1000];
        new Random(5).NextBytes(noise);
        byte[] raw = IdxBytes(Idx.ImagesMagic, new[] { 1000, 28, 28 }, noise);
        string path = Write("liar.gz", Gzip(raw));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Action act = () => Idx.ReadImages(path);
        act.Should().Throw<IdxFormatException>().WithMessage("*offset 1016*after 1000 of the 784000*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void Throws_OnCorruptGzip_AsIdxFormatException()
    {
        byte[] gz = Gzip(IdxBytes(Idx.LabelsMagic, new[] { 300 }, Pixels(300)));
        for (int i = 12; i < gz.Length - 8; i++)
        {
            gz[i] ^= 0x5A;
        }

        Action act = () => Idx.ReadLabels(Write("corrupt.gz", gz));
        act.Should().Throw<IOException>().Which.Should().BeOfType<IdxFormatException>();
    }
}
