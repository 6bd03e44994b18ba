using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace MiniNet.Data;

/// <summary>
/// Checks a single-member gzip file end to end: it decompresses without a deflate error, and the CRC-32 and length of
/// the output match the 8-byte trailer (RFC 1952). .NET's <see cref="GZipStream"/> returns a stream cut inside the
/// deflate data as a short, valid-looking stream, so the reader's other complaints ("the data goes on", "the data
/// ends") can be symptoms of damage; <see cref="Idx"/> asks this, on its error path only, which one to report.
/// </summary>
internal static class GzipCheck
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>True when the file decompresses cleanly and matches its trailer's CRC-32 and length.</summary>
    public static bool IsIntact(string path)
    {
        try
        {
            using FileStream file = File.OpenRead(path);
            if (file.Length < 18)
            {
                return false;
            }

            Span<byte> trailer = stackalloc byte[8];
            file.Seek(-8, SeekOrigin.End);
            file.ReadExactly(trailer);
            file.Position = 0;
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            byte[] buffer = new byte[1 << 16];
            uint crc = 0xFFFFFFFF;
            uint length = 0;
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                for (int i = 0; i < read; i++)
                {
                    crc = Table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
                }

                length = unchecked(length + (uint)read);
            }

            return ~crc == BinaryPrimitives.ReadUInt32LittleEndian(trailer) && length == BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    // The reflected CRC-32 of gzip and zlib (polynomial 0xEDB88320), one table entry per byte value.
    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
