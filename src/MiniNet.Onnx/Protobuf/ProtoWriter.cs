using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MiniNet.Onnx.Protobuf;

/// <summary>
/// Appends protocol-buffers wire format to a growing buffer: varints, 32-bit floats, length-delimited strings,
/// bytes, packed integers and nested messages. Only what ONNX's <c>ModelProto</c> subset needs.
/// </summary>
/// <remarks>
/// Wire types (protobuf encoding spec): 0 = varint, 2 = length-delimited, 5 = 32-bit. A key is
/// <c>(field &lt;&lt; 3) | wireType</c> as a varint; negative <c>int64</c> values are written as 10-byte varints
/// (two's complement), as <c>int64</c> (not <c>sint64</c>) fields require.
/// </remarks>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>Writes an <c>int64</c> / <c>int32</c> / enum field.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteKey(field, Varint);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>Writes a <c>float</c> field (fixed 32-bit, little-endian).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteKey(field, Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes a <c>string</c> field as UTF-8.</summary>
    public void WriteString(int field, string value)
    {
        WriteKey(field, LengthDelimited);
        int length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    /// <summary>Writes a <c>bytes</c> field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>Writes a <c>repeated int64</c> field in packed form (one length-delimited run of varints).</summary>
    public void WritePackedInt64(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtoWriter();
        foreach (long value in values)
        {
            packed.WriteVarint(unchecked((ulong)value));
        }

        WriteBytes(field, packed.WrittenSpan);
    }

    /// <summary>Writes an embedded message field whose content is already encoded in <paramref name="message"/>.</summary>
    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.WrittenSpan);

    private void WriteKey(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        Span<byte> span = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        _buffer.Advance(n);
    }
}
