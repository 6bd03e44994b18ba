using System;
using System.Numerics;
using MiniNet.IO;
using MiniNet.NN;

namespace MiniNet.Onnx;

/// <summary>Exports MiniNet models to ONNX, the exchange format that ONNX Runtime, PyTorch tools and others read.</summary>
/// <remarks>
/// PyTorch: <c>torch.onnx.export(model, sample_input, path, dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})</c>.
/// The model is written in evaluation mode (PyTorch's default <c>training=TrainingMode.EVAL</c>), against opset 17
/// with IR version 8, in the model's element type (float32 or float64). The graph has one input named <c>input</c>
/// and one output named <c>output</c> whose first dimension is the symbolic <c>batch</c>; the other dimensions are
/// those of the sample. Parameters are stored as initializers under their state-dict names (<c>0.weight</c>, ...).
/// </remarks>
public static class Onnx
{
    /// <summary>The name of the exported graph's input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the exported graph's output.</summary>
    public const string OutputName = "output";

    /// <summary>Writes <paramref name="module"/> as an ONNX model file, atomically.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="module">A <see cref="Sequential{T}"/> (or single layer) of supported modules: Linear, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, Dropout2d, BatchNorm1d/2d, LayerNorm, Sigmoid, Tanh, Relu, Softmax, LogSoftmax.</param>
    /// <param name="sampleInput">An input batch of the right shape (any batch size, at least one row): it fixes every dimension but the first and is run through the model to check it.</param>
    /// <param name="path">The file to write; a temporary file in the same directory is renamed over it, so a failure leaves any previous file intact.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The sample has no batch dimension, or the path is empty.</exception>
    /// <exception cref="NotSupportedException">A module has no ONNX translation; the message names its path and type. Nothing is written.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be written.</exception>
    public static void Export<T>(Module<T> module, Tensor<T> sampleInput, string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] model = ExportToBytes(module, sampleInput);
        AtomicFile.Write(path, stream => stream.Write(model));
    }

    /// <summary>Encodes <paramref name="module"/> as an ONNX model in memory (the bytes <see cref="Export{T}(Module{T}, Tensor{T}, string)"/> writes).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="module">The model; see <see cref="Export{T}(Module{T}, Tensor{T}, string)"/>.</param>
    /// <param name="sampleInput">An input batch of the right shape.</param>
    /// <returns>The serialized <c>ModelProto</c>, e.g. for ONNX Runtime's <c>new InferenceSession(bytes)</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The sample has no batch dimension.</exception>
    /// <exception cref="NotSupportedException">A module has no ONNX translation; the message names its path and type.</exception>
    public static byte[] ExportToBytes<T>(Module<T> module, Tensor<T> sampleInput)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(sampleInput);
        if (sampleInput.Rank == 0 || sampleInput.Shape[0] == 0)
        {
            throw new ArgumentException($"Onnx.Export needs a sample input with a non-empty batch dimension first, got shape {sampleInput.Shape}.", nameof(sampleInput));
        }

        var graph = new OnnxGraph<T>();
        string output;
        Tensor<T> sampleOutput;
        using (module.Evaluating())
        using (Autograd.NoGrad())
        {
            (output, sampleOutput) = OnnxConverter<T>.Convert(graph, string.Empty, module, InputName, sampleInput);
        }

        output = graph.AddNode("Identity", "model", new[] { output }, output: OutputName);
        return graph.ToModel(InputName, sampleInput.Shape, output, sampleOutput.Shape, module.GetType().Name);
    }
}
