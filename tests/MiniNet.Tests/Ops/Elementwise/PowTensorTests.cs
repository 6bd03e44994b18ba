using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class PowTensorTests : BinaryOpTests
{
    protected override string OpName => "Pow";

    protected override Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) => a.Pow(b);

    protected override TT Oracle(TT a, TT b) => torch.pow(a, b);

    // Positive bases at least 0.5 (ln a and a^(b-1) well conditioned); the exponents are drawn the same way.
    protected override Func<double, double>? Sample => v => 0.5 + Math.Abs(v);

    // A broadcast exponent's gradient sums g a^b ln a over the broadcast axes: signed terms (ln a < 0 below 1) whose
    // float rounding (MathF.Log vs libtorch's vectorised log, ~1 ulp each) survives the cancellation (measured: [3, 1]
    // against [2, 1, 4], an element of 1.34e-3, 3.2e-5 apart), the case TorchFloatCancellation documents.
    protected override double? FloatTolerance => Tolerances.TorchFloatCancellation;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SecondDerivatives_MatchTorch(int rows)
    {
        SecondOrderCheck.AgainstTorch([[rows, 3], [rows, 3]], xs => xs[0].Pow(xs[1]), ts => torch.pow(ts[0], ts[1]), sample: Sample);
        SecondOrderCheck.AgainstTorch([[rows, 3], [3]], xs => xs[0].Pow(xs[1]), ts => torch.pow(ts[0], ts[1]), sample: Sample);
    }

    // PyTorch's rules at a zero base: d/da is 0 where b = 0; d/db is 0 where b >= 0 (else a^b ln a = -inf * inf).
    [Fact]
    public void ZeroBase_ValuesAndGradients_MatchTorch()
    {
        double[] bases = [0, 0, 0, 0, 0, -0.0, 2, -2, -2, 0.5];
        double[] exponents = [0, 1, 2, 0.5, -1, 3, 0, 2, 3, -2];
        MatchesTorchElementwise(bases, exponents, Tolerances.TorchDouble);
    }

    [Fact]
    public void NegativeBases_SpecialValues_MatchTorch()
    {
        double[] bases = [-3, -3, -0.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1, 1e-30, 1e30, 4e-320];
        double[] exponents = [2, 0.5, -3, 0.5, 3, 0, double.NaN, 2, -2, 0.5];
        MatchesTorchElementwise(bases, exponents, Tolerances.TorchDouble);
    }

    [Fact]
    public void NegativeBaseWithFractionalExponent_IsNaN()
    {
        var a = Tensor.FromArray([-4.0, 4.0], 2);
        Tensor<double> y = a.Pow(Tensor.FromArray([0.5, 0.5], 2));
        double.IsNaN(y.ToArray()[0]).Should().BeTrue();
        y.ToArray()[1].Should().Be(2);
    }

    private static void MatchesTorchElementwise(double[] bases, double[] exponents, double tolerance)
    {
        var a = Tensor.FromArray(bases, bases.Length);
        var b = Tensor.FromArray(exponents, exponents.Length);
        a.RequiresGrad = b.RequiresGrad = true;
        Tensor<double> y = a.Pow(b);
        y.Backward(Tensor.Ones<double>(bases.Length));

        using var scope = torch.NewDisposeScope();
        TT ta = torch.tensor(bases, dtype: torch.float64, requires_grad: true), tb = torch.tensor(exponents, dtype: torch.float64, requires_grad: true);
        TT ty = torch.pow(ta, tb);
        ty.backward([torch.ones_like(ty)]);
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), tolerance, "a^b");
        TorchOracle.AssertClose(a.Grad!.ToArray(), TorchOracle.Values(ta.grad!), tolerance, "d/da");
        TorchOracle.AssertClose(b.Grad!.ToArray(), TorchOracle.Values(tb.grad!), tolerance, "d/db");
    }
}
