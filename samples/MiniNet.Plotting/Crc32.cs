using System;

namespace MiniNet.Plotting;

/// <summary>
/// CRC-32 as PNG and zlib's gzip use it (ISO 3309 / ITU-T V.42): reflected polynomial <c>0xEDB88320</c>, initial
/// value and final XOR <c>0xFFFFFFFF</c>. The check value of the ASCII bytes "123456789" is <c>0xCBF43926</c>.
/// </summary>
public static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum.</returns>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        // Entry n is the remainder of the byte n shifted through the polynomial eight times, least significant bit first.
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
