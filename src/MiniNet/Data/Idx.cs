using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace MiniNet.Data;

/// <summary>
/// Reads IDX files, the format of the MNIST database: a big-endian header (magic <c>0x00000803</c> for images
/// <c>[count, rows, cols]</c>, <c>0x00000801</c> for labels <c>[count]</c>, i.e. element type 0x08 = unsigned byte and
/// the rank in the last byte), then the raw bytes. Plain and gzip-compressed files (detected by the gzip magic
/// <c>1f 8b</c>, not by the file name) are accepted.
/// </summary>
/// <remarks>
/// PyTorch: <c>torchvision.datasets.MNIST</c> reads the same files. Hostile headers cannot force a large
/// allocation: for plain files the sizes are checked against the bytes actually present before anything is
/// allocated; for gzip files the buffer grows only as decompressed data arrives. Trailing bytes are an error.
/// </remarks>
public static class Idx
{
    /// <summary>The magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    // Deflate cannot expand data by more than about 1032:1; anything claiming more is corrupt.
    private const long MaxDeflateRatio = 1032;

    // The end of every message about a damaged gzip stream.
    private const string CorruptGzip = ": the gzip-compressed data is corrupt (a deflate block or the CRC-32 check fails); the file is damaged, download it again.";

    /// <summary>
    /// Reads an images file as floats scaled to <c>[0, 1]</c> (<c>byte / 255</c>): shape <c>[count, rows * cols]</c>,
    /// or <c>[count, rows, cols]</c> when <paramref name="flatten"/> is false.
    /// </summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <param name="flatten">Flatten each image into one row (the default, ready for a <c>Linear</c> layer).</param>
    /// <returns>The images.</returns>
    /// <exception cref="IdxFormatException">The file is truncated, has trailing bytes, a wrong magic number or impossible sizes.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Tensor<float> ReadImages(string path, bool flatten = true)
    {
        var (dims, data) = Read(path, ImagesMagic);
        int count = dims[0], pixels = dims[1] * dims[2];
        var images = Tensor.Zeros<float>(flatten ? new[] { count, pixels } : dims);
        Span<float> span = images.AsSpanForWrite();
        for (int i = 0; i < data.Length; i++)
        {
            // A true division, like torchvision's ToTensor(); multiplying by 1/255 differs in the last bit.
            span[i] = data[i] / 255f;
        }

        return images;
    }

    /// <summary>Reads a labels file: one byte per example.</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <returns>The labels.</returns>
    /// <exception cref="IdxFormatException">The file is truncated, has trailing bytes or a wrong magic number.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic).Data;

    /// <summary>Reads an IDX file of unsigned bytes with the given magic number.</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <param name="expectedMagic"><see cref="ImagesMagic"/>, <see cref="LabelsMagic"/> or another <c>0x000008NN</c>.</param>
    /// <returns>The dimensions from the header and the data bytes, row-major.</returns>
    /// <exception cref="IdxFormatException">The file is truncated, has trailing bytes, a wrong magic number or impossible sizes.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (int[] Dims, byte[] Data) Read(string path, int expectedMagic)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream file = File.OpenRead(path);
        long fileLength = file.Length;
        Span<byte> gzipMagic = stackalloc byte[2];
        int got = file.ReadAtLeast(gzipMagic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        bool compressed = got == 2 && gzipMagic[0] == 0x1f && gzipMagic[1] == 0x8b;
        using Stream stream = compressed ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        long available = compressed ? fileLength * MaxDeflateRatio : fileLength;
        return Parse(stream, path, expectedMagic, available, compressed);
    }

    // For a gzip file every other complaint may be a symptom of damage (a corrupt block decompresses to wrong sizes or
    // extra bytes, and a stream cut inside the deflate data reads as a short one), so before reporting it the whole
    // file is checked against its CRC-32 trailer: if it fails, the damage is what gets reported.
    private static (int[] Dims, byte[] Data) Parse(Stream stream, string path, int expectedMagic, long available, bool compressed)
    {
        try
        {
            return ParseUnchecked(stream, path, expectedMagic, available, compressed);
        }
        catch (IdxFormatException e) when (compressed && !e.Message.EndsWith(CorruptGzip, StringComparison.Ordinal) && !GzipCheck.IsIntact(path))
        {
            throw new IdxFormatException(path, e.Offset, "the data read up to here does not fit the header" + CorruptGzip);
        }
    }

    private static (int[] Dims, byte[] Data) ParseUnchecked(Stream stream, string path, int expectedMagic, long available, bool compressed)
    {
        Span<byte> word = stackalloc byte[4];
        ReadHeaderWord(stream, word, path, 0);
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
        {
            throw new IdxFormatException(path, 0, $"magic number 0x{magic:X8}, expected 0x{expectedMagic:X8}.");
        }

        int rank = expectedMagic & 0xFF;
        var sizes = new uint[rank];
        for (int d = 0; d < rank; d++)
        {
            ReadHeaderWord(stream, word, path, 4 + (4L * d));
            sizes[d] = BinaryPrimitives.ReadUInt32BigEndian(word);
        }

        long headerLength = 4 + (4L * rank);
        long room = Math.Max(0, available - headerLength);
        double item = 1;
        for (int d = 1; d < rank; d++)
        {
            item *= sizes[d];
        }

        double total = rank == 0 ? 1 : item * sizes[0];
        string dims = string.Join(" x ", sizes);
        string holds = compressed
            ? $"a {available / MaxDeflateRatio}-byte gzip file can hold (deflate expands at most {MaxDeflateRatio}:1)"
            : $"the file holds after the header ({room})";
        if (rank > 1 && item > room)
        {
            throw new IdxFormatException(path, 8, $"one item is {item:R} bytes (dims {dims}), more than {holds}: the item dimensions in the header are wrong.");
        }

        if (total > room)
        {
            string fits = compressed ? "" : $", room for {(long)(room / item)}";
            throw new IdxFormatException(
                path, 4, $"the header's count is {sizes[0]} (dims {dims}, {total:R} data bytes), more than {holds}{fits}: the count at offset 4 is wrong or the file is cut short.");
        }

        if (total > Array.MaxLength)
        {
            throw new IdxFormatException(path, 4, $"the data (dims {dims}, {total:R} bytes) is larger than an array can hold ({Array.MaxLength}).");
        }

        int[] shape = Array.ConvertAll(sizes, v => (int)v);
        byte[] data = ReadData(stream, (int)total, path, headerLength);
        if (ReadChunk(stream, word[..1], path, headerLength + (long)total) > 0)
        {
            string more = compressed ? "trailing bytes: the decompressed data goes on" : "trailing bytes: the file goes on";
            throw new IdxFormatException(
                path, headerLength + (long)total, $"{more} after the {total:R} data bytes the header announces (dims {dims}): the count at offset 4 is too small, or other data was appended.");
        }

        return (shape, data);
    }

    private static void ReadHeaderWord(Stream stream, Span<byte> word, string path, long offset)
    {
        int filled = 0;
        while (filled < 4)
        {
            int read = ReadChunk(stream, word[filled..], path, offset + filled);
            if (read == 0)
            {
                throw new IdxFormatException(path, offset + filled, "the file ends inside the header.");
            }

            filled += read;
        }
    }

    // Reads what is available; a corrupt gzip stream surfaces as an IdxFormatException at the current (decompressed) offset.
    private static int ReadChunk(Stream stream, Span<byte> destination, string path, long offset)
    {
        try
        {
            return stream.Read(destination);
        }
        catch (InvalidDataException)
        {
            // .NET reports every zlib data error as "unsupported compression method", which misleads: say what it is.
            throw new IdxFormatException(path, offset, "the decompressed stream breaks off here" + CorruptGzip);
        }
    }

    // Grows the buffer as data arrives, so a lying header in a gzip file costs at most twice the real data.
    private static byte[] ReadData(Stream stream, int total, string path, long headerLength)
    {
        byte[] buffer = new byte[Math.Min(total, 1 << 16)];
        int filled = 0;
        while (filled < total)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(total, 2L * buffer.Length));
            }

            int read = ReadChunk(stream, buffer.AsSpan(filled), path, headerLength + filled);
            if (read == 0)
            {
                throw new IdxFormatException(path, headerLength + filled, $"the data ends after {filled} of the {total} bytes the header announces.");
            }

            filled += read;
        }

        return buffer;
    }
}
