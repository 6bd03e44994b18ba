using System;
using System.Numerics;
using MiniNet.NN;

namespace MiniNet.Onnx;

/// <summary>
/// Turns one MiniNet module into ONNX nodes. Containers (<see cref="Sequential{T}"/>) recurse into their children,
/// running the sample through each child so every layer sees its real input shape.
/// </summary>
internal static partial class OnnxConverter<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The modules <see cref="Onnx.Export{T}(Module{T}, Tensor{T}, string)"/> understands, for error messages.</summary>
    public const string Supported = "Sequential, Linear, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, Dropout2d, BatchNorm1d, BatchNorm2d, LayerNorm, Sigmoid, Tanh, Relu, Softmax, LogSoftmax";

    /// <summary>Appends the nodes of <paramref name="module"/> applied to the value <paramref name="input"/>.</summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="path">The module's dotted path in the model (state-dict prefix), <c>""</c> for the root.</param>
    /// <param name="module">The module, in evaluation mode.</param>
    /// <param name="input">The input value's name.</param>
    /// <param name="sample">A sample of the input, used for shapes and to run the module.</param>
    /// <returns>The output value's name and the sample's output.</returns>
    /// <exception cref="NotSupportedException">The module (or a descendant) has no ONNX translation.</exception>
    public static (string Output, Tensor<T> Sample) Convert(OnnxGraph<T> graph, string path, Module<T> module, string input, Tensor<T> sample)
    {
        string name = path.Length == 0 ? "model" : path;
        if (module.GetType().Assembly != typeof(Module<T>).Assembly)
        {
            // A user's own module (even one deriving from a built-in) may override Forward: never guess its graph.
            throw Unsupported(path, module, "it is defined outside MiniNet");
        }

        if (module is Sequential<T> sequential)
        {
            string value = input;
            Tensor<T> x = sample;
            for (int i = 0; i < sequential.Count; i++)
            {
                string childPath = Prefix(path) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                (value, x) = Convert(graph, childPath, sequential[i], value, x);
            }

            return (value, x);
        }

        Tensor<T> output = module.Forward(sample);
        string result = module switch
        {
            Linear<T> linear => Linear(graph, path, name, linear, input, sample),
            BatchNorm<T> batchNorm => BatchNorm(graph, path, name, batchNorm, input, sample),
            LayerNorm<T> layerNorm => LayerNorm(graph, path, name, layerNorm, input, sample),
            Conv2d<T> conv => Conv2d(graph, path, name, conv, input),
            MaxPool2d<T> maxPool => MaxPool2d(graph, name, maxPool, input),
            AvgPool2d<T> avgPool => AvgPool2d(graph, path, name, avgPool, input),
            AdaptiveAvgPool2d<T> adaptive => AdaptiveAvgPool2d(graph, path, name, adaptive, input, sample),
            Flatten<T> flatten => Flatten(graph, path, name, flatten, input, sample),
            Dropout<T> or Dropout2d<T> => input, // evaluation mode: the identity, no node (PyTorch's exporter drops it too)
            Sigmoid<T> => graph.AddNode("Sigmoid", name, new[] { input }),
            Tanh<T> => graph.AddNode("Tanh", name, new[] { input }),
            Relu<T> => graph.AddNode("Relu", name, new[] { input }),
            Softmax<T> softmax => graph.AddNode("Softmax", name, new[] { input }, new[] { OnnxAttribute.Int("axis", sample.Shape.NormalizeAxis(softmax.Axis)) }),
            LogSoftmax<T> logSoftmax => graph.AddNode("LogSoftmax", name, new[] { input }, new[] { OnnxAttribute.Int("axis", sample.Shape.NormalizeAxis(logSoftmax.Axis)) }),
            _ => throw Unsupported(path, module, "it has no ONNX translation"),
        };
        return (result, output);
    }

    /// <summary><c>y = x W^T + b</c> as <c>Gemm(x, W, b; transB = 1)</c>, the node PyTorch exports for <c>nn.Linear</c>.</summary>
    private static string Linear(OnnxGraph<T> graph, string path, string name, Linear<T> linear, string input, Tensor<T> sample)
    {
        if (sample.Rank != 2)
        {
            throw new NotSupportedException($"Onnx.Export: Linear '{path}' gets an input of shape {sample.Shape}; only [batch, features] inputs are exported (Gemm).");
        }

        string weight = graph.AddInitializer(Prefix(path) + "weight", linear.Weight);
        string[] inputs = linear.Bias is { } bias
            ? new[] { input, weight, graph.AddInitializer(Prefix(path) + "bias", bias) }
            : new[] { input, weight };
        return graph.AddNode("Gemm", name, inputs, new[] { OnnxAttribute.Int("transB", 1) });
    }

    internal static string Prefix(string path) => path.Length == 0 ? string.Empty : path + ".";

    internal static NotSupportedException Unsupported(string path, Module<T> module, string reason) =>
        new($"Onnx.Export: module '{(path.Length == 0 ? "(root)" : path)}' of type {module.GetType().Name} cannot be exported: {reason}. Supported modules: {Supported}.");
}
