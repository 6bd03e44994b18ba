using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace MiniNet.IO;

/// <summary>
/// Reads and writes named tensors in the safetensors format, the format of Hugging Face checkpoints: an 8-byte
/// little-endian header length, a JSON header naming each tensor's dtype, shape and byte range, then raw
/// little-endian data. Files written here load with Python's <c>safetensors.torch.load_file</c> and vice versa
/// (for F32/F64 tensors).
/// </summary>
/// <remarks>
/// PyTorch: <c>safetensors.torch.save_file(tensors, path, metadata)</c> / <c>load_file(path)</c>. Unlike pickle-based
/// <c>torch.save</c>, loading cannot execute code, and every header field is validated before any tensor is allocated.
/// Saving is atomic (<see cref="AtomicFile"/>).
/// </remarks>
public static class SafeTensors
{
    /// <summary>
    /// The <c>__metadata__</c> key under which <see cref="Save{T}"/> records the SHA-256 (lowercase hex) of the data
    /// section: every byte after the header. Reserved: callers may not pass it.
    /// </summary>
    public const string ChecksumKey = "mininet.data_sha256";

    private static volatile bool s_verifyChecksums = true;

    /// <summary>
    /// Whether <see cref="Load{T}"/> (and so <see cref="ModuleCheckpoint.Load{T}"/> and <see cref="TrainingCheckpoint"/>)
    /// checks the data against <see cref="ChecksumKey"/> before returning anything (default true). Files without the key
    /// (written by other tools) always load unchecked; set this to false only to rescue a file known to be damaged.
    /// </summary>
    public static bool VerifyChecksums
    {
        get => s_verifyChecksums;
        set => s_verifyChecksums = value;
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically, in the given order.</summary>
    /// <typeparam name="T">float (stored as <c>F32</c>) or double (<c>F64</c>).</typeparam>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">Named tensors; names must be unique, non-empty and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional string pairs stored under <c>__metadata__</c> (e.g. epoch, optimizer step); the
    /// SHA-256 of the data is added under <see cref="ChecksumKey"/>.</param>
    /// <exception cref="ArgumentException">A name is empty, reserved or repeated, or the metadata uses <see cref="ChecksumKey"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save<T>(string path, IEnumerable<(string Name, Tensor<T> Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = new List<(string Name, Tensor<T> Tensor)>(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in list)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (string.IsNullOrEmpty(name) || name == "__metadata__" || !names.Add(name))
            {
                throw new ArgumentException($"Tensor names must be non-empty, unique and not '__metadata__'; got '{name}'.", nameof(tensors));
            }
        }

        if (metadata is not null && metadata.ContainsKey(ChecksumKey))
        {
            throw new ArgumentException($"The metadata key '{ChecksumKey}' is reserved for the data checksum.", nameof(metadata));
        }

        var withChecksum = new Dictionary<string, string>(StringComparer.Ordinal) { [ChecksumKey] = DataSha256(list) };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            withChecksum[key] = value;
        }

        byte[] header = BuildHeader(list, DType<T>(), withChecksum);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor) in list)
            {
                stream.Write(MemoryMarshal.AsBytes(tensor.AsReadOnlySpan()));
            }
        });
    }

    /// <summary>Reads and validates the header of a safetensors file without reading tensor data.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The header.</returns>
    /// <exception cref="SafeTensorsFormatException">The header length, JSON, dtypes, shapes or offsets are invalid; the message says which.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using FileStream file = File.OpenRead(path);
        return ReadHeader(file, path);
    }

    /// <summary>Reads every tensor of a safetensors file, in data-section order.</summary>
    /// <typeparam name="T">float (the file's tensors must be <c>F32</c>) or double (<c>F64</c>).</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>Named leaf tensors.</returns>
    /// <exception cref="SafeTensorsFormatException">The file is malformed, a tensor has another dtype, or the data does not
    /// match its recorded SHA-256 (see <see cref="VerifyChecksums"/>); the message says which.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<(string Name, Tensor<T> Tensor)> Load<T>(string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using FileStream file = File.OpenRead(path);
        SafeTensorsHeader header = ReadHeader(file, path);
        SafeTensorsChecksum.Verify(file, path, header);
        string dtype = DType<T>();
        var result = new List<(string, Tensor<T>)>(header.Entries.Count);
        foreach (SafeTensorsEntry entry in header.Entries)
        {
            if (entry.DType != dtype)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{entry.Name}' is {entry.DType} but {dtype} was requested.");
            }

            var tensor = Tensor.Zeros<T>(entry.Shape);
            file.Position = header.DataOffset + entry.Begin;
            try
            {
                file.ReadExactly(MemoryMarshal.AsBytes(tensor.AsSpanForWrite()));
            }
            catch (EndOfStreamException)
            {
                throw new SafeTensorsFormatException(path, $"the file ended while reading tensor '{entry.Name}' (was it truncated while loading?).");
            }

            result.Add((entry.Name, tensor));
        }

        return result;
    }

    private static SafeTensorsHeader ReadHeader(FileStream file, string path)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("MiniNet's safetensors reader needs a little-endian machine.");
        }

        long fileLength = file.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
        {
            throw new SafeTensorsFormatException(path, $"the file has {fileLength} bytes, fewer than the 8-byte header length.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8) || headerLength > SafeTensorsHeader.MaxHeaderLength)
        {
            throw new SafeTensorsFormatException(path,
                $"the header length {headerLength} exceeds the {fileLength - 8} bytes after it or the {SafeTensorsHeader.MaxHeaderLength}-byte limit.");
        }

        byte[] json = new byte[(int)headerLength];
        file.ReadExactly(json);
        return SafeTensorsHeader.Parse(path, json, fileLength - 8 - (long)headerLength);
    }

    private static byte[] BuildHeader<T>(List<(string Name, Tensor<T> Tensor)> tensors, string dtype, IReadOnlyDictionary<string, string>? metadata)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata is not null)
            {
                writer.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                long end = offset + ((long)tensor.Count * SafeTensorsHeader.ElementSize(dtype));
                writer.WriteStartObject(name);
                writer.WriteString("dtype", dtype);
                writer.WriteStartArray("shape");
                foreach (int d in tensor.Shape.Dims)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }

            writer.WriteEndObject();
        }

        // Pad with spaces so the data section starts 8-byte aligned, as the format recommends.
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        byte[] header = new byte[padded];
        buffer.ToArray().CopyTo(header, 0);
        header.AsSpan((int)buffer.Length).Fill((byte)' ');
        return header;
    }

    private static string DataSha256<T>(List<(string Name, Tensor<T> Tensor)> tensors)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (_, tensor) in tensors)
        {
            sha.AppendData(MemoryMarshal.AsBytes(tensor.AsReadOnlySpan()));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string DType<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? "F32" : typeof(T) == typeof(double) ? "F64"
        : throw new NotSupportedException($"safetensors support is limited to float and double, not {typeof(T).Name}.");
}
