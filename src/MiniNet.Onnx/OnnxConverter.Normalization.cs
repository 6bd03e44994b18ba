using System;
using System.Numerics;
using MiniNet.NN;

namespace MiniNet.Onnx;

/// <summary>The normalisation layers' ONNX translations.</summary>
internal static partial class OnnxConverter<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// BatchNorm1d/2d in evaluation mode, folded into <c>(x - running_mean) * scale + bias</c> with the per-channel
    /// <c>scale = weight / sqrt(running_var + eps)</c> computed in double, exactly as MiniNet's evaluation forward does.
    /// </summary>
    /// <remarks>
    /// PyTorch exports <c>BatchNormalization</c> instead; its <c>epsilon</c> is a float32 attribute, so a float64 model
    /// would normalise with <c>(float)1e-5</c> and lose up to <c>1e-13 / var</c> of relative accuracy. The folded form
    /// keeps float64 exact. It subtracts the mean before scaling, as MiniNet does: the shorter <c>x * scale + (bias -
    /// mean * scale)</c> would cancel two large float32 products when <c>|mean| &gt;&gt; std</c>.
    /// The constants are shaped <c>[C, 1, ...]</c> so they broadcast over the positions of <c>[N, C, ...]</c>.
    /// </remarks>
    private static string BatchNorm(OnnxGraph<T> graph, string path, string name, BatchNorm<T> batchNorm, string input, Tensor<T> sample)
    {
        int channels = batchNorm.NumFeatures;
        var dims = new int[sample.Rank - 1];
        dims.AsSpan().Fill(1);
        dims[0] = channels;
        if (batchNorm.RunningMean is not { } runningMean || batchNorm.RunningVar is not { } runningVar)
        {
            return BatchStatistics(graph, path, name, batchNorm, input, sample.Rank, dims);
        }

        ReadOnlySpan<T> mean = runningMean.AsReadOnlySpan(), variance = runningVar.AsReadOnlySpan();
        var scale = new T[channels];
        var shift = new T[channels];
        for (int c = 0; c < channels; c++)
        {
            double w = batchNorm.Weight is { } weight ? double.CreateTruncating(weight.AsReadOnlySpan()[c]) : 1;
            scale[c] = T.CreateTruncating(w / Math.Sqrt(double.CreateTruncating(variance[c]) + batchNorm.Eps));
            shift[c] = batchNorm.Bias is { } bias ? bias.AsReadOnlySpan()[c] : T.Zero;
        }

        string prefix = Prefix(path);
        string centred = graph.AddNode("Sub", name, new[] { input, graph.AddInitializer(prefix + "running_mean", Tensor.FromArray(mean, dims)) });
        string scaled = graph.AddNode("Mul", name, new[] { centred, graph.AddInitializer(prefix + "scale", Tensor.FromArray(scale, dims)) });
        return batchNorm.Bias is null
            ? scaled
            : graph.AddNode("Add", name, new[] { scaled, graph.AddInitializer(prefix + "bias", Tensor.FromArray(shift, dims)) });
    }

    /// <summary>
    /// BatchNorm without running statistics (<c>trackRunningStats: false</c>), which normalises with the batch's own
    /// mean and biased variance in evaluation too, over the batch and every position (all axes but 1).
    /// </summary>
    private static string BatchStatistics(OnnxGraph<T> graph, string path, string name, BatchNorm<T> batchNorm, string input, int rank, int[] dims)
    {
        var axes = new long[rank - 1];
        for (int i = 0; i < axes.Length; i++)
        {
            axes[i] = i == 0 ? 0 : i + 1;
        }

        return Normalize(graph, path, name, input, axes, batchNorm.Eps, batchNorm.Weight, batchNorm.Bias, dims);
    }

    /// <summary>
    /// LayerNorm over the last <c>normalizedShape.Rank</c> axes. Written out rather than as opset 17's
    /// <c>LayerNormalization</c>, whose <c>epsilon</c> is a float32 attribute (see <see cref="BatchNorm"/>).
    /// </summary>
    private static string LayerNorm(OnnxGraph<T> graph, string path, string name, LayerNorm<T> layerNorm, string input, Tensor<T> sample)
    {
        int k = layerNorm.NormalizedShape.Rank;
        var axes = new long[k];
        for (int i = 0; i < k; i++)
        {
            axes[i] = sample.Rank - k + i;
        }

        return Normalize(graph, path, name, input, axes, layerNorm.Eps, layerNorm.Weight, layerNorm.Bias, layerNorm.NormalizedShape.ToArray());
    }

    /// <summary>
    /// <c>d = x - ReduceMean(x)</c>, <c>y = d / sqrt(ReduceMean(d * d) + eps) * weight + bias</c> over <paramref name="axes"/>
    /// (the biased variance, as PyTorch normalises), with <paramref name="weight"/> and <paramref name="bias"/> reshaped to <paramref name="dims"/>.
    /// </summary>
    private static string Normalize(OnnxGraph<T> graph, string path, string name, string input, long[] axes, double eps, Tensor<T>? weight, Tensor<T>? bias, int[] dims)
    {
        string prefix = Prefix(path);
        string mean = graph.AddNode("ReduceMean", name, new[] { input }, new[] { OnnxAttribute.Ints("axes", axes), OnnxAttribute.Int("keepdims", 1) });
        string centred = graph.AddNode("Sub", name, new[] { input, mean });
        string squares = graph.AddNode("Mul", name, new[] { centred, centred });
        string variance = graph.AddNode("ReduceMean", name, new[] { squares }, new[] { OnnxAttribute.Ints("axes", axes), OnnxAttribute.Int("keepdims", 1) });
        string epsilon = graph.AddInitializer(prefix + "eps", Tensor.FromArray(new[] { T.CreateTruncating(eps) }, 1));
        string std = graph.AddNode("Sqrt", name, new[] { graph.AddNode("Add", name, new[] { variance, epsilon }) });
        string result = graph.AddNode("Div", name, new[] { centred, std });
        if (weight is not null)
        {
            result = graph.AddNode("Mul", name, new[] { result, graph.AddInitializer(prefix + "weight", Tensor.FromArray(weight.AsReadOnlySpan(), dims)) });
        }

        return bias is null
            ? result
            : graph.AddNode("Add", name, new[] { result, graph.AddInitializer(prefix + "bias", Tensor.FromArray(bias.AsReadOnlySpan(), dims)) });
    }
}
