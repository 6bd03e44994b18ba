using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using MiniNet.Onnx.Protobuf;

namespace MiniNet.Onnx;

/// <summary>
/// Collects the nodes and initializers of one ONNX graph and encodes the whole <c>ModelProto</c>.
/// Field numbers are those of <c>onnx.proto</c> (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
/// </summary>
/// <typeparam name="T">The element type of the model: float (ONNX <c>FLOAT</c> = 1) or double (<c>DOUBLE</c> = 11).</typeparam>
internal sealed class OnnxGraph<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The ONNX operator set the nodes are written against (Softmax/LogSoftmax single-axis semantics from 13, LayerNormalization from 17).</summary>
    public const long OpsetVersion = 17;

    /// <summary>The IR version: 8 (2021-07-30), the first that ONNX Runtime pairs with opset 17 and newer.</summary>
    public const long IrVersion = 8;

    /// <summary>The symbolic name of the dynamic first (batch) dimension of the input and output.</summary>
    public const string BatchDim = "batch";

    private const long Int64Type = 7;

    private readonly List<ProtoWriter> _nodes = new();
    private readonly List<ProtoWriter> _initializers = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>ONNX's <c>TensorProto.DataType</c> of <typeparamref name="T"/>.</summary>
    public static long ElementType => typeof(T) == typeof(float) ? 1 : 11;

    /// <summary>Adds a constant tensor (a parameter or buffer) under <paramref name="name"/>, stored as little-endian <c>raw_data</c>.</summary>
    /// <returns>The name, for use as a node input.</returns>
    public string AddInitializer(string name, Tensor<T> value) =>
        AddInitializer(name, value.Shape.Dims, ElementType, MemoryMarshal.AsBytes(value.AsReadOnlySpan()));

    /// <summary>Adds a constant 1-d int64 tensor (a shape or axes argument).</summary>
    /// <returns>The name, for use as a node input.</returns>
    public string AddInt64Initializer(string name, ReadOnlySpan<long> values) =>
        AddInitializer(name, new[] { values.Length }, Int64Type, MemoryMarshal.AsBytes(values));

    /// <summary>Appends a node computing <c>opType(inputs)</c> into a new value named after <paramref name="name"/>.</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>Gemm</c>.</param>
    /// <param name="name">The node's name (the module path); its output is <c>name + "/" + opType</c>, or <paramref name="output"/> if given.</param>
    /// <param name="inputs">The input value names, in the operator's order.</param>
    /// <param name="attributes">Encoded <c>AttributeProto</c>s, from <see cref="OnnxAttribute"/>.</param>
    /// <param name="output">An explicit output name (the graph's output), or null.</param>
    /// <returns>The output value's name.</returns>
    public string AddNode(string opType, string name, string[] inputs, ProtoWriter[]? attributes = null, string? output = null)
    {
        string nodeName = Unique(name + "/" + opType);
        string result = output is null ? nodeName : Unique(output);
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.WriteString(1, input);
        }

        node.WriteString(2, result);
        node.WriteString(3, nodeName);
        node.WriteString(4, opType);
        foreach (ProtoWriter attribute in attributes ?? Array.Empty<ProtoWriter>())
        {
            node.WriteMessage(5, attribute);
        }

        _nodes.Add(node);
        return result;
    }

    /// <summary>Encodes the <c>ModelProto</c>: IR version, opset import, producer, and the graph with its input and output.</summary>
    /// <param name="input">The graph input's name.</param>
    /// <param name="inputShape">The sample input's shape; the first dimension is written as <see cref="BatchDim"/>.</param>
    /// <param name="output">The graph output's name (a node output).</param>
    /// <param name="outputShape">The sample output's shape; the first dimension is written as <see cref="BatchDim"/>.</param>
    /// <param name="graphName">The graph's name (the module type).</param>
    public byte[] ToModel(string input, Shape inputShape, string output, Shape outputShape, string graphName)
    {
        var graph = new ProtoWriter();
        foreach (ProtoWriter node in _nodes)
        {
            graph.WriteMessage(1, node);
        }

        graph.WriteString(2, graphName);
        foreach (ProtoWriter initializer in _initializers)
        {
            graph.WriteMessage(5, initializer);
        }

        graph.WriteMessage(11, ValueInfo(input, inputShape));
        graph.WriteMessage(12, ValueInfo(output, outputShape));

        var opset = new ProtoWriter();
        opset.WriteString(1, string.Empty);
        opset.WriteInt64(2, OpsetVersion);

        var model = new ProtoWriter();
        model.WriteInt64(1, IrVersion);
        model.WriteString(2, "MiniNet");
        model.WriteString(3, typeof(Tensor).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        model.WriteMessage(7, graph);
        model.WriteMessage(8, opset);
        return model.WrittenSpan.ToArray();
    }

    /// <summary>Reserves <paramref name="name"/> as a value name, adding a numeric suffix if it is taken.</summary>
    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++)
        {
            candidate = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private string AddInitializer(string name, ReadOnlySpan<int> dims, long dataType, ReadOnlySpan<byte> rawData)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Onnx.Export writes raw little-endian tensor data and needs a little-endian machine.");
        }

        string unique = Unique(name);
        var tensor = new ProtoWriter();
        Span<long> longDims = stackalloc long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            longDims[i] = dims[i];
        }

        tensor.WritePackedInt64(1, longDims);
        tensor.WriteInt64(2, dataType);
        tensor.WriteString(8, unique);
        tensor.WriteBytes(9, rawData);
        _initializers.Add(tensor);
        return unique;
    }

    private static ProtoWriter ValueInfo(string name, Shape shape)
    {
        var tensorShape = new ProtoWriter();
        for (int axis = 0; axis < shape.Rank; axis++)
        {
            var dim = new ProtoWriter();
            if (axis == 0)
            {
                dim.WriteString(2, BatchDim);
            }
            else
            {
                dim.WriteInt64(1, shape[axis]);
            }

            tensorShape.WriteMessage(1, dim);
        }

        var tensorType = new ProtoWriter();
        tensorType.WriteInt64(1, ElementType);
        tensorType.WriteMessage(2, tensorShape);
        var type = new ProtoWriter();
        type.WriteMessage(1, tensorType);
        var info = new ProtoWriter();
        info.WriteString(1, name);
        info.WriteMessage(2, type);
        return info;
    }
}
