using System;
using System.Collections.Generic;
using System.Text.Json;

namespace MiniNet.IO;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">The tensor's name (e.g. <c>0.weight</c>).</param>
/// <param name="DType">The element type code: <c>F32</c> or <c>F64</c> (the only ones MiniNet reads).</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Begin">Start of the data, in bytes from the start of the data section.</param>
/// <param name="End">End (exclusive) of the data, in bytes from the start of the data section.</param>
public sealed record SafeTensorsEntry(string Name, string DType, int[] Shape, long Begin, long End);

/// <summary>The parsed and validated header of a safetensors file.</summary>
/// <remarks>
/// Format (<c>huggingface/safetensors</c>): 8-byte little-endian header length <c>N</c>, <c>N</c> bytes of UTF-8 JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {"k": "v"}}</c>
/// (padded with spaces), then the data section: each tensor's little-endian, row-major bytes at its offsets.
/// </remarks>
public sealed class SafeTensorsHeader
{
    /// <summary>The largest header accepted (100 MB), so a hostile length cannot force a huge allocation.</summary>
    public const long MaxHeaderLength = 100L * 1024 * 1024;

    private SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata, long dataOffset)
    {
        (Entries, Metadata, DataOffset) = (entries, metadata, dataOffset);
    }

    /// <summary>The tensors, ordered by their position in the data section.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The string-to-string <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The file offset of the data section: <c>8 + N</c>.</summary>
    public long DataOffset { get; }

    /// <summary>Bytes per element of a dtype code, or 0 when MiniNet does not read it.</summary>
    /// <param name="dtype">The code.</param>
    /// <returns>4 for <c>F32</c>, 8 for <c>F64</c>, otherwise 0.</returns>
    public static int ElementSize(string dtype) => dtype switch { "F32" => 4, "F64" => 8, _ => 0 };

    internal static SafeTensorsHeader Parse(string path, ReadOnlySpan<byte> json, long dataLength)
    {
        var entries = new List<SafeTensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool sawMetadata = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            Expect(ref reader, JsonTokenType.StartObject, path, "the header is not a JSON object");
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                if (!names.Add(name) || (name == "__metadata__" && sawMetadata))
                {
                    throw new SafeTensorsFormatException(path, $"the name '{name}' appears twice in the header.");
                }

                if (name == "__metadata__")
                {
                    sawMetadata = true;
                    ReadMetadata(ref reader, path, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(ref reader, path, name));
                }
            }

            if (reader.Read())
            {
                throw new SafeTensorsFormatException(path, "unexpected content after the header's JSON object.");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string token that is not valid UTF-8.
            throw new SafeTensorsFormatException(path, $"the header is not well-formed JSON ({e.Message}).");
        }

        CheckLayout(path, entries, dataLength);
        return new SafeTensorsHeader(entries, metadata, 8 + json.Length);
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, string path, Dictionary<string, string> metadata)
    {
        Expect(ref reader, JsonTokenType.StartObject, path, "__metadata__ must be an object");
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            Expect(ref reader, JsonTokenType.String, path, $"__metadata__ value '{key}' must be a string");
            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw new SafeTensorsFormatException(path, $"__metadata__ key '{key}' appears twice.");
            }
        }
    }

    private static SafeTensorsEntry ReadEntry(ref Utf8JsonReader reader, string path, string name)
    {
        Expect(ref reader, JsonTokenType.StartObject, path, $"tensor '{name}' must be described by an object");
        string? dtype = null;
        List<long>? shape = null, offsets = null;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            switch (key)
            {
                case "dtype" when dtype is null:
                    Expect(ref reader, JsonTokenType.String, path, $"tensor '{name}': dtype must be a string");
                    dtype = reader.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(ref reader, path, name, key);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(ref reader, path, name, key);
                    break;
                default:
                    throw new SafeTensorsFormatException(path, $"tensor '{name}' has an unexpected or repeated key '{key}'.");
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' needs dtype, shape and data_offsets.");
        }

        int size = ElementSize(dtype);
        if (size == 0)
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' has dtype '{dtype}'; MiniNet reads only F32 and F64.");
        }

        if (offsets.Count != 2 || offsets[1] < offsets[0])
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' data_offsets must be [begin, end] with begin <= end.");
        }

        var dims = new int[shape.Count];
        long count = 1;
        for (int d = 0; d < dims.Length; d++)
        {
            count *= shape[d];
            if (shape[d] > int.MaxValue || count > Array.MaxLength)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' shape [{string.Join(", ", shape)}] is larger than a tensor can hold.");
            }

            dims[d] = (int)shape[d];
        }

        if (count * size != offsets[1] - offsets[0])
        {
            throw new SafeTensorsFormatException(path,
                $"tensor '{name}' ({dtype}, shape [{string.Join(", ", dims)}]) needs {count * size} bytes but data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}.");
        }

        return new SafeTensorsEntry(name, dtype, dims, offsets[0], offsets[1]);
    }

    private static List<long> ReadIntegers(ref Utf8JsonReader reader, string path, string name, string key)
    {
        Expect(ref reader, JsonTokenType.StartArray, path, $"tensor '{name}': {key} must be an array");
        var values = new List<long>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0 || values.Count >= 64)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}': {key} must hold at most 64 non-negative integers.");
            }

            values.Add(value);
        }

        return values;
    }

    // Offsets must tile the data section exactly: sorted by begin, each starts where the previous ended, the last
    // ends at the section's end. This rules out overlaps, gaps, out-of-bounds offsets and truncated files.
    private static void CheckLayout(string path, List<SafeTensorsEntry> entries, long dataLength)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (SafeTensorsEntry entry in entries)
        {
            if (entry.End > dataLength)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{entry.Name}' data_offsets [{entry.Begin}, {entry.End}] run past the {dataLength}-byte data section (truncated file?).");
            }

            if (entry.Begin != expected)
            {
                throw new SafeTensorsFormatException(path, entry.Begin < expected
                    ? $"tensor '{entry.Name}' data_offsets [{entry.Begin}, {entry.End}] overlap the previous tensor, which ends at {expected}."
                    : $"there is a gap in the data section between byte {expected} and tensor '{entry.Name}' at {entry.Begin}.");
            }

            expected = entry.End;
        }

        if (expected != dataLength)
        {
            throw new SafeTensorsFormatException(path, $"the data section has {dataLength} bytes but the tensors cover only {expected}.");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("unexpected end of the header");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path, string problem)
    {
        if (Next(ref reader) != type)
        {
            throw new SafeTensorsFormatException(path, $"{problem} (found {reader.TokenType}).");
        }
    }
}
