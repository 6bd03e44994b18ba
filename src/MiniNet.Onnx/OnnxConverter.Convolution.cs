using System.Numerics;
using MiniNet.NN;

namespace MiniNet.Onnx;

/// <summary>The convolution, pooling, reshaping and dropout layers' ONNX translations.</summary>
internal static partial class OnnxConverter<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary><c>Conv(x, W, b)</c>, the padding written as ONNX's <c>pads = [top, left, bottom, right]</c> (asymmetric only for <c>'same'</c> with an even kernel).</summary>
    private static string Conv2d(OnnxGraph<T> graph, string path, string name, Conv2d<T> conv, string input)
    {
        var (kh, kw) = Pair(conv.KernelSize);
        var (sh, sw) = Pair(conv.Stride);
        var (top, left, bottom, right) = conv.Pads;
        var (dh, dw) = Pair(conv.Dilation);
        string weight = graph.AddInitializer(Prefix(path) + "weight", conv.Weight);
        string[] inputs = conv.Bias is { } bias
            ? new[] { input, weight, graph.AddInitializer(Prefix(path) + "bias", bias) }
            : new[] { input, weight };
        return graph.AddNode("Conv", name, inputs, new[]
        {
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", sh, sw),
            OnnxAttribute.Ints("pads", top, left, bottom, right),
            OnnxAttribute.Ints("dilations", dh, dw),
            OnnxAttribute.Int("group", conv.Groups),
        });
    }

    /// <summary><c>MaxPool</c> with its dilations and ceil mode; like PyTorch, padded positions never win (ONNX pads max pooling with -inf).</summary>
    private static string MaxPool2d(OnnxGraph<T> graph, string name, MaxPool2d<T> pool, string input)
    {
        var (kh, kw) = Pair(pool.KernelSize);
        var (sh, sw) = Pair(pool.Stride);
        var (ph, pw) = Pair(pool.Padding);
        var (dh, dw) = Pair(pool.Dilation);
        return graph.AddNode("MaxPool", name, new[] { input }, new[]
        {
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", sh, sw),
            OnnxAttribute.Ints("pads", ph, pw, ph, pw),
            OnnxAttribute.Ints("dilations", dh, dw),
            OnnxAttribute.Int("ceil_mode", pool.CeilMode ? 1 : 0),
        });
    }

    /// <summary>
    /// <c>AveragePool</c>, dividing by the whole window including padding when MiniNet does (<c>count_include_pad</c>),
    /// with its ceil mode. A divisor override has no ONNX attribute (PyTorch's exporter refuses it too), so it throws.
    /// </summary>
    private static string AvgPool2d(OnnxGraph<T> graph, string path, string name, AvgPool2d<T> pool, string input)
    {
        if (pool.DivisorOverride is { } divisor)
        {
            throw Unsupported(path, pool, $"its divisor override ({divisor}) has no ONNX AveragePool attribute");
        }

        var (kh, kw) = Pair(pool.KernelSize);
        var (sh, sw) = Pair(pool.Stride);
        var (ph, pw) = Pair(pool.Padding);
        return graph.AddNode("AveragePool", name, new[] { input }, new[]
        {
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", sh, sw),
            OnnxAttribute.Ints("pads", ph, pw, ph, pw),
            OnnxAttribute.Int("count_include_pad", pool.CountIncludePad ? 1 : 0),
            OnnxAttribute.Int("ceil_mode", pool.CeilMode ? 1 : 0),
        });
    }

    /// <summary>
    /// <c>GlobalAveragePool</c> for a 1 x 1 output; for an output size that divides the input's, the equal windows of
    /// <c>AveragePool(kernel = stride = in / out)</c>. PyTorch's exporter refuses the uneven case too (its windows overlap
    /// and differ in size, which no single ONNX pooling node expresses), and so does this one, naming the sizes.
    /// </summary>
    private static string AdaptiveAvgPool2d(OnnxGraph<T> graph, string path, string name, AdaptiveAvgPool2d<T> pool, string input, Tensor<T> sample)
    {
        var (oh, ow) = Pair(pool.OutputSize);
        int h = sample.Shape[2], w = sample.Shape[3];
        if (oh == 1 && ow == 1)
        {
            return graph.AddNode("GlobalAveragePool", name, new[] { input });
        }

        if (h % oh != 0 || w % ow != 0)
        {
            throw Unsupported(path, pool, $"an output of {oh} x {ow} from an input of {h} x {w} needs uneven windows (only output sizes that divide the input size, or 1, are exported)");
        }

        return graph.AddNode("AveragePool", name, new[] { input }, new[]
        {
            OnnxAttribute.Ints("kernel_shape", h / oh, w / ow),
            OnnxAttribute.Ints("strides", h / oh, w / ow),
        });
    }

    /// <summary>
    /// <c>Flatten(axis = 1)</c> for PyTorch's default <c>nn.Flatten()</c>; other dimension ranges become a
    /// <c>Reshape</c> that keeps the batch (<c>0</c>), merges the range (<c>-1</c>) and copies the fixed dimensions after it.
    /// </summary>
    private static string Flatten(OnnxGraph<T> graph, string path, string name, Flatten<T> flatten, string input, Tensor<T> sample)
    {
        int start = sample.Shape.NormalizeAxis(flatten.StartDim), end = sample.Shape.NormalizeAxis(flatten.EndDim);
        if (start == 0)
        {
            throw Unsupported(path, flatten, "it merges the batch dimension (startDim 0), which the exported graph keeps symbolic");
        }

        if (start == 1 && end == sample.Rank - 1)
        {
            return graph.AddNode("Flatten", name, new[] { input }, new[] { OnnxAttribute.Int("axis", 1) });
        }

        var shape = new long[sample.Rank - (end - start)];
        for (int axis = 0, i = 0; axis < sample.Rank; axis++)
        {
            if (axis < start || axis > end)
            {
                shape[i++] = axis == 0 ? 0 : sample.Shape[axis]; // 0: copy the (symbolic) batch size
            }
            else if (axis == start)
            {
                shape[i++] = -1;
            }
        }

        string target = graph.AddInt64Initializer(Prefix(path) + "shape", shape);
        return graph.AddNode("Reshape", name, new[] { input, target });
    }

    private static (long, long) Pair(int value) => (value, value);

    private static (long, long) Pair((int, int) value) => (value.Item1, value.Item2);
}
