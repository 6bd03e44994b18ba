using System;
using FluentAssertions;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Ops;

public class ConvertTests
{
    [Fact]
    public void Values_RoundLikeACast_AndOverflowToInfinity()
    {
        double[] values = { 0.1, -1e-30, 1e39, -1e39, 1e-50, double.NaN, 3 };
        Tensor<float> y = Tensor.FromArray(values, values.Length).To<float>();
        y.ToArray().Should().Equal(Array.ConvertAll(values, v => (float)v));
        y.To<double>().ToArray().Should().Equal(Array.ConvertAll(values, v => (double)(float)v));
    }

    [Fact]
    public void SameType_ReturnsTheTensorItself()
    {
        var x = Tensor.Zeros<double>(2);
        x.To<double>().Should().BeSameAs(x);
    }

    [Fact]
    public void Gradient_IsConvertedBack_AndFlowsIntoTheSourceGraph_LikeTorch()
    {
        var rng = new Rng(4);
        Tensor<double> x = Tensor.Randn<double>(rng, 3, 4);
        Tensor<float> w = Tensor.Randn<float>(rng, 3, 4);
        x.RequiresGrad = true;
        w.RequiresGrad = true;

        // double -> Exp -> float (times a float weight) -> Tanh -> double -> Sum: gradients cross the conversion twice.
        Tensor<double> loss = x.Exp().To<float>().Mul(w).Tanh().To<double>().Mul(x).Sum();
        loss.Backward();

        using var scope = torch.NewDisposeScope();
        TT tx = TorchOracle.ToTorch(x.Detach(), requiresGrad: true);
        TT tw = TorchOracle.ToTorch(w.Detach(), requiresGrad: true);
        TT tloss = ((tx.exp().to(torch.float32) * tw).tanh().to(torch.float64) * tx).sum();
        tloss.backward();
        TorchOracle.AssertClose([loss.Item()], TorchOracle.Values(tloss), Tolerances.TorchFloat, "loss");
        TorchOracle.AssertClose(x.Grad!.ToArray(), TorchOracle.Values(tx.grad!), Tolerances.TorchFloat, "gradient of the double input");
        TorchOracle.AssertClose(Array.ConvertAll(w.Grad!.ToArray(), v => (double)v), TorchOracle.Values(tw.grad!), Tolerances.TorchFloat, "gradient of the float weight");
    }

    [Fact]
    public void TensorWalk_Throws_NamingTheConversion()
    {
        var x = Tensor.Randn<double>(new Rng(1), 3);
        x.RequiresGrad = true;
        var z = Tensor.Randn<float>(new Rng(2), 3);
        z.RequiresGrad = true;
        Tensor<float> loss2 = x.To<float>().Mul(z).Sum();
        FluentActions.Invoking(() => MiniNet.Autograd.Grad([loss2], [z], retainGraph: true)).Should().Throw<NotSupportedException>().WithMessage("To<Single>*Backward()*");
    }
}
