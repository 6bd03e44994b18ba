using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentAssertions;
using MiniNet.Data;
using Xunit;

namespace MiniNet.Tests.Data;

/// <summary>
/// Damaged IDX files must be reported as what is wrong with them: a flipped bit in the image count names the count and
/// the file size (it said "dimension 2 is 28 ... larger than an array"), and a damaged gzip stream says the compressed
/// data is corrupt (it said "trailing bytes", or quoted .NET's "unsupported compression method").
/// </summary>
public sealed class IdxMessageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-idxmsg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FlippedBitInImageCount_NamesTheCountAndTheFileSize()
    {
        byte[] good = IdxTests.IdxBytes(Idx.ImagesMagic, new[] { 60, 28, 28 }, Pixels(60 * 28 * 28));
        var messages = new List<string>();
        for (int bit = 0; bit < 32; bit++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[4 + (bit / 8)] ^= (byte)(1 << (bit % 8));
            if (BitConverter.ToInt32(bad.AsSpan(4, 4).ToArray().Reverse().ToArray()) < 60)
            {
                continue; // a smaller count is reported as trailing data, below
            }

            string path = Write($"count-bit{bit}", bad);
            Action act = () => Idx.ReadImages(path);
            string message = act.Should().Throw<IdxFormatException>().Which.Message;
            message.Should().Contain("count").And.Contain("offset 4").And.Contain($"({60 * 28 * 28})", "it names the data the file holds");
            message.Should().NotContain("dimension 2");
            messages.Add(message);
        }

        messages.Should().HaveCountGreaterThan(20);
    }

    [Fact]
    public void SmallerImageCount_SaysTheFileGoesOn_AndBlamesTheCount()
    {
        byte[] bad = IdxTests.IdxBytes(Idx.ImagesMagic, new[] { 59, 28, 28 }, Pixels(60 * 28 * 28));
        Action act = () => Idx.ReadImages(Write("count-small", bad));
        act.Should().Throw<IdxFormatException>().WithMessage("*trailing bytes*goes on after the 46256 data bytes*count at offset 4 is too small*");
    }

    [Fact]
    public void FlippedRowCount_BlamesTheItemDimensions()
    {
        byte[] bad = IdxTests.IdxBytes(Idx.ImagesMagic, new[] { 60, 28 << 20, 28 }, Pixels(60 * 28 * 28));
        Action act = () => Idx.ReadImages(Write("rows", bad));
        act.Should().Throw<IdxFormatException>().WithMessage("*one item is*item dimensions in the header are wrong*");
    }

    [Fact]
    public void DamagedGzip_AtEveryByte_IsReportedAsCorruptCompressedData()
    {
        byte[] raw = IdxTests.IdxBytes(Idx.ImagesMagic, new[] { 20, 28, 28 }, Pixels(20 * 28 * 28));
        byte[] gz = IdxTests.Gzip(raw);
        int corrupt = 0, other = 0;
        var wrong = new List<string>();

        // Skip the 10-byte gzip header (its flags and time are not checked by any reader); flip one byte of the deflate
        // data or of the CRC-32 / size trailer.
        for (int i = 10; i < gz.Length; i++)
        {
            byte[] bad = (byte[])gz.Clone();
            bad[i] ^= 0x24;
            string path = Write($"bad{i}.gz", bad);
            try
            {
                Idx.ReadImages(path);
                wrong.Add($"byte {i}: loaded without error");
            }
            catch (IdxFormatException e) when (e.Message.Contains("gzip-compressed data is corrupt", StringComparison.Ordinal))
            {
                corrupt++;
                e.Message.Should().NotContain("unsupported compression method");
            }
            catch (IdxFormatException e)
            {
                other++;
                wrong.Add($"byte {i}: {e.Message}");
            }

            File.Delete(path);
        }

        wrong.Should().BeEmpty("every damaged byte must be reported as corrupt compressed data ({0} were)", corrupt, gz.Length);
        corrupt.Should().Be(gz.Length - 10);
        other.Should().Be(0);
    }

    private static byte[] Pixels(int count) => Enumerable.Range(0, count).Select(i => (byte)((i * 37) % 251)).ToArray();

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
