using System;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class MaximumTests : BinaryOpTests
{
    protected override string OpName => "Maximum";

    protected override Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) => a.Maximum(b);

    protected override TT Oracle(TT a, TT b) => torch.maximum(a, b);

    [Fact]
    public void SecondDerivatives_MatchTorch() =>
        SecondOrderCheck.AgainstTorch([[3, 4], [4]], xs => xs[0].Maximum(xs[1]), ts => torch.maximum(ts[0], ts[1]));

    [Fact]
    public void TiesSplitTheGradient_AndNaN_MatchTorch() =>
        ExtremumCases.MatchTorch((a, b) => a.Maximum(b), torch.maximum);
}

public class MinimumTests : BinaryOpTests
{
    protected override string OpName => "Minimum";

    protected override Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) => a.Minimum(b);

    protected override TT Oracle(TT a, TT b) => torch.minimum(a, b);

    [Fact]
    public void SecondDerivatives_MatchTorch() =>
        SecondOrderCheck.AgainstTorch([[3, 4], [3, 1]], xs => xs[0].Minimum(xs[1]), ts => torch.minimum(ts[0], ts[1]));

    [Fact]
    public void TiesSplitTheGradient_AndNaN_MatchTorch() =>
        ExtremumCases.MatchTorch((a, b) => a.Minimum(b), torch.minimum);
}

/// <summary>Ties, NaN and infinities for Maximum and Minimum, against TorchSharp's values and gradients (upstream 3).</summary>
internal static class ExtremumCases
{
    public static void MatchTorch(Func<Tensor<double>, Tensor<double>, Tensor<double>> mini, Func<TT, TT, TT> oracle)
    {
        double[] left = [1, 2, -1, double.NaN, 5, double.PositiveInfinity, 0, -0.0, double.NaN, 3];
        double[] right = [1, 1, 2, 4, double.NaN, double.PositiveInfinity, -0.0, 0, double.NaN, 3];
        var a = Tensor.FromArray(left, left.Length);
        var b = Tensor.FromArray(right, right.Length);
        a.RequiresGrad = b.RequiresGrad = true;
        Tensor<double> y = mini(a, b);
        y.Backward(Tensor.Full(3.0, left.Length));

        using var scope = torch.NewDisposeScope();
        TT ta = torch.tensor(left, dtype: torch.float64, requires_grad: true), tb = torch.tensor(right, dtype: torch.float64, requires_grad: true);
        TT ty = oracle(ta, tb);
        ty.backward([torch.full_like(ty, 3.0)]);
        TorchOracle.AssertClose(y.ToArray(), TorchOracle.Values(ty), Tolerances.TorchDouble, "value");
        TorchOracle.AssertClose(a.Grad!.ToArray(), TorchOracle.Values(ta.grad!), Tolerances.TorchDouble, "gradient of a");
        TorchOracle.AssertClose(b.Grad!.ToArray(), TorchOracle.Values(tb.grad!), Tolerances.TorchDouble, "gradient of b");
    }
}
