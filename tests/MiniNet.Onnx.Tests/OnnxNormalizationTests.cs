using System;
using System.Numerics;
using FluentAssertions;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Onnx.Tests;

public class OnnxNormalizationTests
{
    public static TheoryData<int[]> Shapes => new()
    {
        new[] { 7, 5 },        // BatchNorm1d on [N, C]
        new[] { 3, 5, 9 },     // BatchNorm1d on [N, C, L]
        new[] { 2, 5, 4, 3 },  // BatchNorm2d on [N, C, H, W]
        new[] { 1, 5, 1, 1 },  // batch 1, one position
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchNorm_WithTrainedRunningStatistics_MatchesOrt_Float(int[] shape) =>
        AssertBatchNorm<float>(shape, affine: true, Tolerances.Float);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchNorm_WithTrainedRunningStatistics_MatchesOrt_Double(int[] shape) =>
        AssertBatchNorm<double>(shape, affine: true, Tolerances.Double);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchNorm_WithoutAffine_MatchesOrt(int[] shape)
    {
        AssertBatchNorm<float>(shape, affine: false, Tolerances.Float);
        AssertBatchNorm<double>(shape, affine: false, Tolerances.Double);
    }

    [Fact]
    public void BatchNorm_WithTinyVariance_KeepsFloat64Exact()
    {
        // A channel that saw almost constant inputs: var ~ 1e-12, so eps dominates. ONNX's float32 epsilon attribute
        // would be off by 2.5e-13 / 1e-5 = 2.5e-8 here; the folded export keeps the double eps.
        var norm = new BatchNorm1d<double>(3, eps: 1e-5, momentum: 1);
        norm.RunningVar!.AsSpanForWrite().Fill(1e-12);
        norm.RunningMean!.AsSpanForWrite()[1] = 1e6;
        Tensor<double> x = Tensor.Randn<double>(new Rng(5), 4, 3) * 1e-3;
        OnnxExportTests.AssertMatchesOrt(norm, x, Tolerances.Double);
    }

    [Fact]
    public void MlpWithBatchNorm_OnOtherBatchSizes_MatchesOrt()
    {
        var rng = new Rng(11);
        var model = new Sequential(new Linear(6, 8, rng), new BatchNorm1d(8), new Relu(), new Linear(8, 3, rng));
        Train(model, new[] { 16, 6 }, rng);
        byte[] bytes = Onnx.ExportToBytes(model, Tensor.Randn<float>(rng, 2, 6));
        foreach (int batch in new[] { 1, 29 })
        {
            Tensor<float> x = Tensor.Randn<float>(rng, batch, 6);
            OutputAssert.Close<float>(OrtRunner.Run(bytes, x).Values, OnnxExportTests.Forward(model, x), Tolerances.Float, $"batch {batch}");
        }
    }

    [Theory]
    [InlineData(new[] { 7, 5 })]
    [InlineData(new[] { 3, 5, 9 })]
    [InlineData(new[] { 2, 5, 4, 3 })]
    [InlineData(new[] { 1, 5, 2, 1 })]
    public void BatchNorm_WithoutRunningStatistics_UsesTheBatchsStatistics_AndMatchesOrt(int[] shape)
    {
        foreach (bool affine in new[] { true, false })
        {
            BatchNorm<float> norm32 = shape.Length == 4 ? new BatchNorm2d<float>(shape[1], affine: affine, trackRunningStats: false) : new BatchNorm1d<float>(shape[1], affine: affine, trackRunningStats: false);
            BatchNorm<double> norm64 = shape.Length == 4 ? new BatchNorm2d<double>(shape[1], eps: 1e-3, affine: affine, trackRunningStats: false) : new BatchNorm1d<double>(shape[1], eps: 1e-3, affine: affine, trackRunningStats: false);
            if (affine)
            {
                Tensor.Randn<float>(new Rng(30), shape[1]).AsReadOnlySpan().CopyTo(norm32.Weight!.AsSpanForWrite());
                Tensor.Randn<double>(new Rng(31), shape[1]).AsReadOnlySpan().CopyTo(norm64.Bias!.AsSpanForWrite());
            }

            // A batch of another size than the sample's: the statistics are the run's own.
            var other = (int[])shape.Clone();
            other[0] += 2;
            byte[] bytes32 = Onnx.ExportToBytes(norm32, Tensor.Randn<float>(new Rng(32), shape));
            Tensor<float> x32 = (Tensor.Randn<float>(new Rng(33), other) * 4f) + 2f;
            OutputAssert.Close<float>(OrtRunner.Run(bytes32, x32).Values, OnnxExportTests.Forward(norm32, x32), Tolerances.Float, $"float, affine {affine}");
            Tensor<double> x64 = (Tensor.Randn<double>(new Rng(34), shape) * 4.0) + 2.0;
            OnnxExportTests.AssertMatchesOrt(norm64, x64, Tolerances.Double);
        }
    }

    [Theory]
    [InlineData(new[] { 4, 6 }, new[] { 6 }, true)]
    [InlineData(new[] { 3, 5, 7 }, new[] { 7 }, false)]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 4, 5 }, true)]
    [InlineData(new[] { 1, 9 }, new[] { 9 }, true)]
    public void LayerNorm_MatchesOrt_FloatAndDouble(int[] shape, int[] normalized, bool affine)
    {
        var norm32 = new LayerNorm<float>(normalized, elementwiseAffine: affine);
        var norm64 = new LayerNorm<double>(normalized, eps: 1e-3, elementwiseAffine: affine);
        if (affine)
        {
            Tensor.Randn<float>(new Rng(40), normalized).AsReadOnlySpan().CopyTo(norm32.Weight!.AsSpanForWrite());
            Tensor.Randn<double>(new Rng(41), normalized).AsReadOnlySpan().CopyTo(norm64.Bias!.AsSpanForWrite());
        }

        OnnxExportTests.AssertMatchesOrt(norm32, (Tensor.Randn<float>(new Rng(42), shape) * 5f) - 3f, Tolerances.Float);
        OnnxExportTests.AssertMatchesOrt(norm64, (Tensor.Randn<double>(new Rng(43), shape) * 5.0) - 3.0, Tolerances.Double);
    }

    private static void AssertBatchNorm<T>(int[] shape, bool affine, double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(7);
        BatchNorm<T> norm = shape.Length == 4 ? new BatchNorm2d<T>(shape[1], affine: affine) : new BatchNorm1d<T>(shape[1], eps: 1e-3, affine: affine);
        if (affine)
        {
            Tensor.Randn<T>(rng, shape[1]).AsReadOnlySpan().CopyTo(norm.Weight!.AsSpanForWrite());
            Tensor.Randn<T>(rng, shape[1]).AsReadOnlySpan().CopyTo(norm.Bias!.AsSpanForWrite());
        }

        Train(norm, shape, rng);
        norm.RunningMean!.AsReadOnlySpan().ToArray().Should().NotContain(T.Zero, "training moved the running mean");

        // Inputs far from the statistics too: 8 * N(0, 1) + 3.
        Tensor<T> x = (Tensor.Randn<T>(rng, shape) * T.CreateChecked(8)) + T.CreateChecked(3);
        OnnxExportTests.AssertMatchesOrt(norm, x, tolerance);
    }

    /// <summary>A few training-mode forwards on shifted, scaled batches, so the running statistics are not 0 and 1.</summary>
    private static void Train<T>(Module<T> model, int[] shape, Rng rng)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var batch = (int[])shape.Clone();
        batch[0] = Math.Max(batch[0], 2);
        using (Autograd.NoGrad())
        {
            for (int step = 0; step < 5; step++)
            {
                model.Forward((Tensor.Randn<T>(rng, batch) * T.CreateChecked(2)) + T.CreateChecked(0.5));
            }
        }
    }
}
