using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace MiniNet.Tests.Ops.Normalization;

public class LayerNormTests
{
    public static TheoryData<int[], int[]> Cases => new()
    {
        { new[] { 4, 5 }, new[] { 5 } },
        { new[] { 1, 7 }, new[] { 7 } },
        { new[] { 2, 3, 4 }, new[] { 3, 4 } },
        { new[] { 3, 2, 2, 3 }, new[] { 3 } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch_Double(int[] shape, int[] normalized)
    {
        OpCheck<double>.AgainstTorch(
            new[] { shape, normalized, normalized },
            xs => xs[0].LayerNorm(new Shape(normalized), xs[1], xs[2]),
            ts => torch.nn.functional.layer_norm(ts[0], Array.ConvertAll(normalized, d => (long)d), ts[1], ts[2], 1e-5));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch_Float(int[] shape, int[] normalized)
    {
        OpCheck<float>.AgainstTorch(
            new[] { shape, normalized, normalized },
            xs => xs[0].LayerNorm(new Shape(normalized), xs[1], xs[2]),
            ts => torch.nn.functional.layer_norm(ts[0], Array.ConvertAll(normalized, d => (long)d), ts[1], ts[2], 1e-5),
            tolerance: Tolerances.TorchFloatNormalization);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-150)]
    [InlineData(1e150)]
    public void ExtremeScales_WithoutAffine_MatchTorch(double scale)
    {
        Func<double, double> sample = scale == 0 ? _ => -3.0 : v => v * scale;
        OpCheck<double>.AgainstTorch(
            new[] { new[] { 3, 4 } },
            xs => xs[0].LayerNorm(new Shape(4)),
            ts => torch.nn.functional.layer_norm(ts[0], new long[] { 4 }, null, null, 1e-5),
            sample: sample, gradCheck: scale == 0);
    }

    [Fact]
    public void Throws_NamingShapes()
    {
        var x = Tensor.Ones<double>(2, 3);
        ((Action)(() => x.LayerNorm(new Shape(4)))).Should().Throw<ArgumentException>().WithMessage("*[2, 3]*[4]*");
        ((Action)(() => x.LayerNorm(new Shape(3), Tensor.Ones<double>(2)))).Should().Throw<ArgumentException>().WithMessage("*weight*[2]*[3]*");
    }
}
