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
        if (batchNorm.RunningMean is not { } runningMean || batchNorm.RunningVar is not { } runningVar)
        {
            throw Unsupported(path, batchNorm, "without running statistics (trackRunningStats: false) it normalises with each batch's own statistics even in evaluation");
        }

        int channels = batchNorm.NumFeatures;
        var dims = new int[sample.Rank - 1];
        dims.AsSpan().Fill(1);
        dims[0] = channels;

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
}
