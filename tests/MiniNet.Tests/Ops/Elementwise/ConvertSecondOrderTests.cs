using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

/// <summary>Higher-order gradients through <see cref="Tensor{T}.To{TOther}"/>: the tensor-valued walk crosses element types.</summary>
public class ConvertSecondOrderTests
{
    private static double[] Doubles(Tensor<float> t) => Array.ConvertAll(t.ToArray(), v => (double)v);

    /// <summary>MiniNet's and TorchSharp's G = dL/dx, d/dx and d/dw of H = sum(G u), as doubles.</summary>
    private sealed record SecondOrder(double[] First, double[] Dxx, double[] Dxw, double[] TorchFirst, double[] TorchDxx, double[] TorchDxw);

    // L(x, w) with x double and w float; H's gradient to w is taken through H.To<float>(), crossing the walk once more.
    private static SecondOrder Run(int[] shape, ulong seed, Func<Tensor<double>, Tensor<float>, Tensor<double>> mini, Func<TT, TT, TT> oracle)
    {
        var rng = new Rng(seed);
        Tensor<double> x = Tensor.Randn<double>(rng, shape);
        Tensor<float> w = Tensor.Randn<float>(rng, shape);
        Tensor<double> u = Tensor.Randn<double>(rng, shape);
        x.RequiresGrad = true;
        w.RequiresGrad = true;
        Tensor<double> gx = MiniNet.Autograd.Grad(mini(x, w), x, createGraph: true);
        gx.RequiresGrad.Should().BeTrue("the first-order gradient was recorded across the conversions");
        Tensor<double> h = gx.Mul(u).Sum();
        Tensor<double> hxx = MiniNet.Autograd.Grad(h, x, retainGraph: true);
        Tensor<float> hxw = MiniNet.Autograd.Grad(h.To<float>(), w);

        using var scope = torch.NewDisposeScope();
        TT tx = TorchOracle.ToTorch(x.Detach(), requiresGrad: true);
        TT tw = TorchOracle.ToTorch(w.Detach(), requiresGrad: true);
        TT tgx = torch.autograd.grad([oracle(tx, tw)], [tx], retain_graph: true, create_graph: true)[0];
        var tsecond = torch.autograd.grad([(tgx * TorchOracle.ToTorch(u)).sum()], [tx, tw]);
        return new(gx.ToArray(), hxx.ToArray(), Doubles(hxw), TorchOracle.Values(tgx), TorchOracle.Values(tsecond[0]), TorchOracle.Values(tsecond[1]));
    }

    [Fact]
    public void MixedGraph_SecondDerivative_MatchesTorch()
    {
        // double -> Exp -> float (times a float weight) -> Tanh -> double -> times x -> Sum.
        SecondOrder r = Run([3, 4], 11,
            (x, w) => x.Exp().To<float>().Mul(w).Tanh().To<double>().Mul(x).Sum(),
            (x, w) => ((x.exp().to(torch.float32) * w).tanh().to(torch.float64) * x).sum());

        // Every value here passed through float ops (Tanh, Mul) on both sides, each rounded at ~6e-8: float32's bound.
        TorchOracle.AssertClose(r.First, r.TorchFirst, Tolerances.TorchFloat, "first-order gradient of x");

        // The second derivatives sum O(1) float terms (tanh'' w^2 e^2x x, tanh' w e^x (x + 2), ...) that cancel: measured, element 6 is
        // -1.105e-3 in float64, MiniNet and TorchSharp are both ~9.4e-7 off it and 1.2e-8 apart (1.1e-5 of the floor); d2/dxdw likewise.
        TorchOracle.AssertClose(r.Dxx, r.TorchDxx, Tolerances.TorchFloatCancellation, "d2/dx2 (through float)");
        TorchOracle.AssertClose(r.Dxw, r.TorchDxw, Tolerances.TorchFloatCancellation, "d2/dxdw (float weight)");
    }

    [Fact]
    public void DoublePath_SecondDerivative_MatchesTorchToDoublePrecision()
    {
        // w enters in double (exactly), so d/dx and d2/dx2 never touch float; only the gradient of w goes back to float.
        SecondOrder r = Run([5], 12, (x, w) => x.Tanh().Mul(w.To<double>()).Mul(x).Sum(), (x, w) => (x.tanh() * w.to(torch.float64) * x).sum());
        TorchOracle.AssertClose(r.First, r.TorchFirst, Tolerances.TorchDouble, "first-order gradient of x (double path)");
        TorchOracle.AssertClose(r.Dxx, r.TorchDxx, Tolerances.TorchDouble, "d2/dx2 (double path)");

        // The double value is rounded once to float at the conversion (half an ulp, ~6e-8), on both sides: float32's bound.
        TorchOracle.AssertClose(r.Dxw, r.TorchDxw, Tolerances.TorchFloat, "d2/dxdw (rounded to float)");
    }

    [Fact]
    public void ThirdDerivative_ThroughTwoConversions_IsExact()
    {
        // Values whose powers are exact in float, so every derivative of sum(x^3) computed in float is exact.
        double[] values = { 0.5, 1.5, -2, 3 };
        Tensor<double> x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Tensor<float> y = x.To<float>();
        Tensor<double> loss = y.Mul(y).Mul(y).To<double>().Sum();

        Tensor<double> first = MiniNet.Autograd.Grad(loss, x, createGraph: true);
        Tensor<double> second = MiniNet.Autograd.Grad(first.Sum(), x, createGraph: true);
        Tensor<double> third = MiniNet.Autograd.Grad(second.Sum(), x);

        first.ToArray().Should().Equal(Array.ConvertAll(values, v => 3 * v * v));
        second.ToArray().Should().Equal(Array.ConvertAll(values, v => 6 * v));
        third.ToArray().Should().Equal(6.0, 6.0, 6.0, 6.0);
    }

    [Fact]
    public void BackwardWithCreateGraph_FillsLeavesOfBothTypes_LikeTheFastWalk()
    {
        var rng = new Rng(13);
        Tensor<double> x = Tensor.Randn<double>(rng, 2, 3);
        Tensor<float> w = Tensor.Randn<float>(rng, 2, 3);
        x.RequiresGrad = true;
        w.RequiresGrad = true;
        Tensor<double> Loss() => x.Exp().To<float>().Mul(w).Tanh().To<double>().Mul(x).Sum();

        Loss().Backward();
        double[] fastX = x.Grad!.ToArray();
        float[] fastW = w.Grad!.ToArray();
        x.Grad = null;
        w.Grad = null;

        Loss().Backward(createGraph: true);
        x.Grad!.RequiresGrad.Should().BeTrue();
        w.Grad!.RequiresGrad.Should().BeTrue("the float leaf's gradient is recorded too");
        TorchOracle.AssertClose(x.Grad.ToArray(), fastX, Tolerances.ClosedForm, "x.Grad, createGraph vs fast");

        // Same float ops in both walks, but the fast walk adds into float buffers and the tensor one builds float
        // tensors, so a float-rounding difference (~6e-8) is possible: float32's bound.
        TorchOracle.AssertClose(Doubles(w.Grad), Array.ConvertAll(fastW, v => (double)v), Tolerances.TorchFloat, "w.Grad, createGraph vs fast");
    }

    [Fact]
    public void HooksAndRetainGrad_OnTheOtherElementType_RunInTheTensorWalk()
    {
        Tensor<float> w = Tensor.FromArray([1f, 2f, 3f], 3);
        w.RequiresGrad = true;
        int calls = 0;
        w.RegisterHook(g =>
        {
            calls++;
            return g.Mul(2f);
        });
        Tensor<float> h = w.Mul(w);
        h.RetainGrad();

        // loss = sum(3 h) in double: dL/dh = 3, dL/dw = 6 w, doubled by the hook on the float leaf.
        h.To<double>().Mul(3.0).Sum().Backward(createGraph: true);
        calls.Should().Be(1);
        h.Grad!.ToArray().Should().Equal(3f, 3f, 3f);
        w.Grad!.ToArray().Should().Equal(12f, 24f, 36f);
        w.Grad.RequiresGrad.Should().BeTrue("the gradient (6 w, hooked) was recorded");
    }

    [Fact]
    public void GradGrad_WithAFloatLeafInTheGraph_Passes()
    {
        var rng = new Rng(14);
        Tensor<float> z = Tensor.Randn<float>(rng, 4);
        z.RequiresGrad = true;
        Tensor<double> x = Tensor.Randn<double>(rng, 4);
        x.RequiresGrad = true;

        // The conversion node is on every walk (it hands z its gradient); the checked path is double throughout.
        GradCheckResult check = GradCheck.GradGrad(xs => xs[0].Tanh().Mul(z.To<double>()).Mul(xs[0]), [x]);
        check.Passed(Tolerances.GradGrad).Should().BeTrue(check.ToString());
    }

    [Fact]
    public void GradGrad_ThroughAFloatSection_Passes()
    {
        Tensor<double> x = Tensor.Randn<double>(new Rng(15), 3);
        x.RequiresGrad = true;
        GradCheckResult check = GradCheck.GradGrad(xs => xs[0].To<float>().Tanh().To<double>().Mul(xs[0]), [x], step: Tolerances.GradGradFloatStep);
        check.Passed(Tolerances.GradGradFloat).Should().BeTrue(check.ToString());
    }
}
