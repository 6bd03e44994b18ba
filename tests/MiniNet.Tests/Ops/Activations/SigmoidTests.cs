using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class SigmoidTests : UnaryOpTests
{
    protected override Tensor<T> Apply<T>(Tensor<T> x) => x.Sigmoid();

    protected override TT Oracle(TT x) => x.sigmoid();

    protected override double[] SpecialValues => [.. base.SpecialValues, .. Extremes];

    private static readonly double[] Extremes = { -100, -50, -20, -1, 0, 1, 20, 50, 100 };

    [Fact]
    public void ExtremeInputs_FiniteAndEqualToTorch_Double()
    {
        var x = Tensor.FromArray(Extremes, Extremes.Length);
        x.RequiresGrad = true;
        Tensor<double> y = x.Sigmoid();
        y.Backward(Tensor.Ones<double>(Extremes.Length));

        using var scope = torch.NewDisposeScope();
        var tx = torch.tensor(Extremes, dtype: torch.float64, requires_grad: true);
        var ty = tx.sigmoid();
        ty.backward(new[] { torch.ones_like(ty) });

        y.ToArray().Should().OnlyContain(v => double.IsFinite(v) && v >= 0 && v <= 1);
        x.Grad!.ToArray().Should().OnlyContain(v => double.IsFinite(v) && v >= 0);
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "sigmoid at extremes");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, "sigmoid gradient at extremes");
        y[0].Should().BeGreaterThan(0, "sigma(-100) ≈ 3.7e-44 is representable in double");
    }

    [Fact]
    public void ExtremeInputs_FiniteAndEqualToTorch_Float()
    {
        float[] values = Extremes.Select(v => (float)v).ToArray();
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<float> y = x.Sigmoid();
        y.Backward(Tensor.Ones<float>(values.Length));

        using var scope = torch.NewDisposeScope();
        var tx = torch.tensor(values, dtype: torch.float32, requires_grad: true);
        var ty = tx.sigmoid();
        ty.backward(new[] { torch.ones_like(ty) });

        y.ToArray().Should().OnlyContain(v => float.IsFinite(v) && v >= 0 && v <= 1);
        x.Grad!.ToArray().Should().OnlyContain(v => float.IsFinite(v) && v >= 0);
        TorchOracle.AssertClose(y.ToArray().Select(v => (double)v).ToArray(), TorchOracle.Values(ty), Tolerances.TorchFloat, "sigmoid at extremes (float)");
        TorchOracle.AssertClose(x.Grad!.ToArray().Select(v => (double)v).ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchFloat, "sigmoid gradient at extremes (float)");
    }

    [Fact]
    public void EmptyInput_GivesEmptyOutput_AndBackwardRuns()
    {
        // Regression: TensorPrimitives.Sigmoid throws on empty spans, so an empty batch used to crash the forward pass.
        var x = Tensor.Zeros<float>(0, 3);
        x.RequiresGrad = true;
        Tensor<float> y = x.Sigmoid();
        y.Shape.ToArray().Should().Equal(0, 3);
        y.Sum().Backward();
        x.Grad!.Count.Should().Be(0);
    }
}
