using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Autograd;

/// <summary>Higher-order workloads against TorchSharp: d2/dx2 x^3, a Hessian-vector product, a gradient-penalty step.</summary>
public class HigherOrderTests
{
    [Fact]
    public void SecondDerivativeOfXCubed_Is6X_LikeTorch()
    {
        var x = Tensor.FromArray(new double[] { -2, -0.5, 0, 1e-8, 3, 1e5 }, 6);
        x.RequiresGrad = true;
        Tensor<double> dx = MiniNet.Autograd.Grad(x.Pow(3.0).Sum(), x, createGraph: true);
        Tensor<double> d2 = MiniNet.Autograd.Grad(dx.Sum(), x);
        d2.ToArray().Should().Equal(x.ToArray().Select(v => 6 * v));

        using var scope = torch.NewDisposeScope();
        TT tx = TorchOracle.ToTorch(x.Detach(), requiresGrad: true);
        TT tdx = torch.autograd.grad([tx.pow(3).sum()], [tx], create_graph: true, retain_graph: true)[0];
        TT td2 = torch.autograd.grad([tdx.sum()], [tx])[0];
        TorchOracle.AssertClose(d2.ToArray(), TorchOracle.Values(td2), Tolerances.TorchDouble, "d2/dx2 x^3");
    }

    [Fact]
    public void BackwardWithCreateGraph_GivesDifferentiableLeafGradients()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }, 2);
        x.RequiresGrad = true;
        x.Pow(3.0).Sum().Backward(createGraph: true);
        Tensor<double> g = x.Grad!;
        g.ToArray().Should().Equal(3, 12);
        g.RequiresGrad.Should().BeTrue();
        MiniNet.Autograd.Grad(g.Sum(), x).ToArray().Should().Equal(6, 12);
    }

    private static (Tensor<double>[] Parameters, Tensor<double> X, Tensor<double> Y) Mlp(ulong seed)
    {
        var rng = new Rng(seed);
        Tensor<double>[] p = [Tensor.Randn<double>(rng, 5, 4), Tensor.Randn<double>(rng, 5), Tensor.Randn<double>(rng, 3, 5), Tensor.Randn<double>(rng, 3)];
        foreach (Tensor<double> t in p)
        {
            t.RequiresGrad = true;
        }

        return (p, Tensor.Randn<double>(rng, 6, 4), Tensor.Rand<double>(rng, 6, 3));
    }

    private static Tensor<double> Loss(Tensor<double>[] p, Tensor<double> x, Tensor<double> y) =>
        x.Linear(p[0], p[1]).Tanh().Linear(p[2], p[3]).BinaryCrossEntropyWithLogits(y);

    private static TT TorchLoss(TT[] p, TT x, TT y) =>
        torch.nn.functional.binary_cross_entropy_with_logits(torch.nn.functional.linear(torch.nn.functional.linear(x, p[0], p[1]).tanh(), p[2], p[3]), y);

    [Fact]
    public void HessianVectorProduct_OfASmallMlp_MatchesTorch()
    {
        var (p, x, y) = Mlp(11);
        var rng = new Rng(12);
        Tensor<double>[] v = p.Select(t => Tensor.Randn<double>(rng, t.Shape.ToArray())).ToArray();
        Tensor<double>?[] g = MiniNet.Autograd.Grad([Loss(p, x, y)], p, createGraph: true);
        Tensor<double> dot = Enumerable.Range(0, p.Length).Select(i => g[i]!.Mul(v[i]).Sum()).Aggregate((a, b) => a.Add(b));
        Tensor<double>?[] hvp = MiniNet.Autograd.Grad([dot], p);

        using var scope = torch.NewDisposeScope();
        TT[] tp = p.Select(t => TorchOracle.ToTorch(t.Detach(), requiresGrad: true)).ToArray();
        var tg = torch.autograd.grad([TorchLoss(tp, TorchOracle.ToTorch(x), TorchOracle.ToTorch(y))], tp, create_graph: true, retain_graph: true);
        TT tdot = Enumerable.Range(0, p.Length).Select(i => (tg[i] * TorchOracle.ToTorch(v[i])).sum()).Aggregate((a, b) => a + b);
        var thvp = torch.autograd.grad([tdot], tp);
        for (int i = 0; i < p.Length; i++)
        {
            TorchOracle.AssertClose(hvp[i]!.ToArray(), TorchOracle.Values(thvp[i]), Tolerances.TorchDouble, $"Hv of parameter {i}");
        }
    }

    [Fact]
    public void GradientPenaltyStep_MatchesTorch()
    {
        // loss + lambda ||d loss / d x||^2, differentiated with respect to the parameters, then one SGD step.
        const double Lambda = 0.7, Lr = 0.1;
        var (p, x, y) = Mlp(21);
        x.RequiresGrad = true;
        Tensor<double> loss = Loss(p, x, y);
        Tensor<double> dx = MiniNet.Autograd.Grad(loss, x, createGraph: true);
        Tensor<double> total = loss.Add(dx.Mul(dx).Sum().Mul(Lambda));
        total.Backward();
        double[][] stepped = p.Select(t => t.ToArray().Zip(t.Grad!.ToArray(), (w, gw) => w - (Lr * gw)).ToArray()).ToArray();

        using var scope = torch.NewDisposeScope();
        TT[] tp = p.Select(t => TorchOracle.ToTorch(t.Detach(), requiresGrad: true)).ToArray();
        TT tx = TorchOracle.ToTorch(x.Detach(), requiresGrad: true);
        TT tloss = TorchLoss(tp, tx, TorchOracle.ToTorch(y));
        TT tdx = torch.autograd.grad([tloss], [tx], create_graph: true, retain_graph: true)[0];
        (tloss + ((tdx * tdx).sum() * Lambda)).backward();
        TorchOracle.AssertClose(total.ToArray(), TorchOracle.Values(tloss + ((tdx * tdx).sum() * Lambda)), Tolerances.TorchDouble, "penalised loss");
        for (int i = 0; i < p.Length; i++)
        {
            TorchOracle.AssertClose(p[i].Grad!.ToArray(), TorchOracle.Values(tp[i].grad!), Tolerances.TorchDouble, $"gradient of parameter {i}");
            double[] torchStep = TorchOracle.Values(tp[i].detach() - (tp[i].grad! * Lr));
            TorchOracle.AssertClose(stepped[i], torchStep, Tolerances.TorchDouble, $"SGD step of parameter {i}");
        }

        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchDouble, "gradient of x");
    }

    [Fact]
    public void GradWithoutCreateGraph_DoesNotTouchGrad_AndUnusedInputsNeedAllowUnused()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }, 2);
        var unused = Tensor.FromArray(new double[] { 5 }, 1);
        x.RequiresGrad = unused.RequiresGrad = true;
        Tensor<double> loss = (x * x).Sum();
        Tensor<double>?[] g = MiniNet.Autograd.Grad([loss], [x, unused], retainGraph: true, allowUnused: true);
        g[0]!.ToArray().Should().Equal(2, 4);
        g[1].Should().BeNull();
        x.Grad.Should().BeNull("Autograd.Grad returns gradients instead of accumulating them");
        Action strict = () => MiniNet.Autograd.Grad([loss], [x, unused]);
        strict.Should().Throw<InvalidOperationException>().WithMessage("*Input 1*not used*allowUnused: true*");
    }

    [Fact]
    public void CreateGraphThroughAnOpWithoutDifferentiableBackward_SaysWhich()
    {
        // Every built-in op has a differentiable backward now, so the test records an op of its own that has only the
        // fast span backward (as an op written against the internal TapeEntry API may).
        var x = Tensor.Randn<double>(new Rng(2), 1, 1, 4, 4);
        x.RequiresGrad = true;
        var y = new Tensor<double>(x.Shape);
        x.AsReadOnlySpan().CopyTo(y.KernelWriteSpan);
        Tape.Record(new FastOnlyBackward<double>(y, x));
        Tensor<double> loss = y.Sum();
        Action act = () => MiniNet.Autograd.Grad(loss, x, createGraph: true);
        act.Should().Throw<NotSupportedException>().WithMessage("*FastOnly*no differentiable backward*createGraph: false*");
    }
}

/// <summary>An identity op with only the fast backward, to check the message of a createGraph walk through it.</summary>
file sealed class FastOnlyBackward<T> : TapeEntry<T>
    where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
{
    public FastOnlyBackward(Tensor<T> output, Tensor<T> x)
        : base(output, x)
    {
        SaveForBackward(output: false);
    }

    public override string OpName => "FastOnly";

    public override void Backward() => InPlace.Axpy(GradFor(0), T.One, GradOutput);
}
