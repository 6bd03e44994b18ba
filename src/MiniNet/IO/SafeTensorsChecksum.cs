using System;
using System.IO;
using System.Security.Cryptography;

namespace MiniNet.IO;

/// <summary>
/// The SHA-256 of a safetensors file's data section (every byte after the header), kept as lowercase hex under the
/// <c>__metadata__</c> key <see cref="SafeTensors.ChecksumKey"/>. Metadata is a plain string map, so other readers
/// (Python's <c>safetensors</c>, Hugging Face tools) load such files unchanged and ignore the key.
/// </summary>
internal static class SafeTensorsChecksum
{
    /// <summary>Throws when the header records a checksum and the data section does not match it.</summary>
    /// <exception cref="SafeTensorsFormatException">The data's SHA-256 differs from the recorded one.</exception>
    public static void Verify(FileStream file, string path, SafeTensorsHeader header)
    {
        if (!SafeTensors.VerifyChecksums || !header.Metadata.TryGetValue(SafeTensors.ChecksumKey, out string? recorded))
        {
            return;
        }

        file.Position = header.DataOffset;
        string actual = Convert.ToHexStringLower(SHA256.HashData(file));
        if (!string.Equals(actual, recorded, StringComparison.OrdinalIgnoreCase))
        {
            throw new SafeTensorsFormatException(path,
                $"the data section's SHA-256 is {actual} but the file records {recorded} ('{SafeTensors.ChecksumKey}'): the file is damaged " +
                "(a changed or lost byte), so nothing was loaded. Restore it from a copy; to load it anyway, set SafeTensors.VerifyChecksums = false.");
        }
    }
}
