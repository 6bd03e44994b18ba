using System;
using MiniNet.Onnx.Protobuf;

namespace MiniNet.Onnx;

/// <summary>Encodes ONNX <c>AttributeProto</c>s: name (field 1), type (20), and one of f (2), i (3), ints (8).</summary>
internal static class OnnxAttribute
{
    private const long FloatType = 1;
    private const long IntType = 2;
    private const long IntsType = 7;

    /// <summary>An <c>INT</c> attribute.</summary>
    public static ProtoWriter Int(string name, long value)
    {
        var attribute = Named(name, IntType);
        attribute.WriteInt64(3, value);
        return attribute;
    }

    /// <summary>A <c>FLOAT</c> attribute.</summary>
    public static ProtoWriter Float(string name, float value)
    {
        var attribute = Named(name, FloatType);
        attribute.WriteFloat(2, value);
        return attribute;
    }

    /// <summary>An <c>INTS</c> attribute.</summary>
    public static ProtoWriter Ints(string name, params long[] values)
    {
        var attribute = Named(name, IntsType);
        attribute.WritePackedInt64(8, values.AsSpan());
        return attribute;
    }

    private static ProtoWriter Named(string name, long type)
    {
        var attribute = new ProtoWriter();
        attribute.WriteString(1, name);
        attribute.WriteInt64(20, type);
        return attribute;
    }
}
