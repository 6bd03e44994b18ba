using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using F = TorchSharp.torch.nn.functional;

namespace MiniNet.Tests.Ops;

public class SoftmaxTests
{
    // Besides the small cases, [3, 37], [37, 5] and [2, 17, 9] make slices and rows longer than one vector plus a tail.
    public static TheoryData<int[], int> ShapesAndAxes => new()
    {
        { Array.Empty<int>(), 0 }, { Array.Empty<int>(), -1 },
        { new[] { 1 }, 0 }, { new[] { 7 }, 0 }, { new[] { 7 }, -1 },
        { new[] { 4, 3 }, 0 }, { new[] { 4, 3 }, 1 }, { new[] { 4, 3 }, -1 }, { new[] { 4, 3 }, -2 },
        { new[] { 1, 5 }, 0 }, { new[] { 1, 5 }, -1 },
        { new[] { 2, 3, 4 }, 0 }, { new[] { 2, 3, 4 }, 1 }, { new[] { 2, 3, 4 }, 2 }, { new[] { 2, 3, 4 }, -1 }, { new[] { 2, 3, 4 }, -2 },
        { new[] { 3, 37 }, -1 }, { new[] { 37, 5 }, 0 }, { new[] { 2, 17, 9 }, 1 },
        { new[] { 0 }, 0 }, { new[] { 2, 0 }, 0 }, { new[] { 2, 0 }, -1 }, { new[] { 0, 3 }, 1 },
    };

    [Theory]
    [MemberData(nameof(ShapesAndAxes))]
    public void ForwardAndBackward_MatchTorch_Double(int[] shape, int axis) =>
        OpCheck<double>.AgainstTorch(new[] { shape }, xs => xs[0].Softmax(axis), ts => F.softmax(ts[0], axis));

    [Theory]
    [MemberData(nameof(ShapesAndAxes))]
    public void ForwardAndBackward_MatchTorch_Float(int[] shape, int axis) =>
        OpCheck<float>.AgainstTorch(new[] { shape }, xs => xs[0].Softmax(axis), ts => F.softmax(ts[0], axis), tolerance: Tolerances.TorchFloatCancellation);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void ExtremeLogits_FiniteAndEqualToTorch(int axis)
    {
        double[] values = { 1000, -1000, 0, 1000, 1000, -1000, -1000, -999, -1000, 500, -500, 1 };
        CompareWithTorch(values, new[] { 4, 3 }, axis, x => x.Softmax(axis), x => x.Softmax(axis), t => F.softmax(t, axis), "softmax");
    }

    [Fact]
    public void SlicesSumToOne_AlongTheChosenAxisOnly()
    {
        Tensor<double> x = Tensor.Randn<double>(new Rng(3), 2, 3, 4);
        double[] s = x.Softmax(1).ToArray();
        for (int o = 0; o < 2; o++)
        {
            for (int i = 0; i < 4; i++)
            {
                double sum = 0;
                for (int k = 0; k < 3; k++)
                {
                    sum += s[(o * 12) + (k * 4) + i];
                }

                sum.Should().BeApproximately(1, Tolerances.ClosedForm, $"slice (o={o}, i={i}) along axis 1");
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-3)]
    public void Throws_OnInvalidAxis_NamingOpAndShape(int axis)
    {
        Action act = () => Tensor.Zeros(2, 3).Softmax(axis);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*Softmax*axis {axis}*[2, 3]*");
    }

    [Fact]
    public void NaN_PropagatesToItsSlice()
    {
        var x = Tensor.FromArray(new[] { 1.0, double.NaN, 2.0, 0.5, 0.25, 3.0 }, 2, 3);
        double[] s = x.Softmax(-1).ToArray();
        s.Take(3).Should().OnlyContain(v => double.IsNaN(v), "a NaN logit poisons its whole slice, as in PyTorch");
        s.Skip(3).Should().OnlyContain(v => double.IsFinite(v), "other slices are unaffected");
    }

    /// <summary>Forward and backward (random upstream) of an axis op on fixed values, in double and float, against TorchSharp.</summary>
    internal static void CompareWithTorch(
        double[] values,
        int[] shape,
        int axis,
        Func<Tensor<double>, Tensor<double>> mini,
        Func<Tensor<float>, Tensor<float>> miniFloat,
        Func<torch.Tensor, torch.Tensor> oracle,
        string what)
    {
        Tensor<double> upstream = Tensor.Randn<double>(new Rng(11), shape);
        var x = Tensor.FromArray(values, shape);
        x.RequiresGrad = true;
        Tensor<double> y = mini(x);
        y.Backward(upstream);

        var xf = Tensor.FromArray(values.Select(v => (float)v).ToArray(), shape);
        xf.RequiresGrad = true;
        Tensor<float> yf = miniFloat(xf);
        yf.Backward(Tensor.FromArray(upstream.ToArray().Select(v => (float)v).ToArray(), shape));

        using var scope = torch.NewDisposeScope();
        foreach (bool single in new[] { false, true })
        {
            torch.Tensor tx = single ? TorchOracle.ToTorch(xf.Detach(), requiresGrad: true) : TorchOracle.ToTorch(x.Detach(), requiresGrad: true);
            torch.Tensor ty = oracle(tx);
            ty.backward(new[] { single ? TorchOracle.ToTorch(upstream).to(torch.float32) : TorchOracle.ToTorch(upstream) });
            double[] output = single ? yf.ToArray().Select(v => (double)v).ToArray() : y.ToArray();
            double[] grad = single ? xf.Grad!.ToArray().Select(v => (double)v).ToArray() : x.Grad!.ToArray();
            double tolerance = single ? Tolerances.TorchFloatCancellation : Tolerances.TorchDouble;
            string precision = single ? "float" : "double";
            output.Should().OnlyContain(v => double.IsFinite(v), $"{what} of finite logits is finite ({precision})");
            grad.Should().OnlyContain(v => double.IsFinite(v), $"the {what} gradient of finite logits is finite ({precision})");
            TorchOracle.AssertClose(output, TorchOracle.Values(ty), tolerance, $"{what} ({precision}, axis {axis})");
            TorchOracle.AssertClose(grad, TorchOracle.Values(tx.grad!), tolerance, $"{what} gradient ({precision}, axis {axis})");
        }
    }
}
