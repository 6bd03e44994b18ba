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
    public void StepInBackward_CountsAWeightUsedBehindAConversion_AsASecondUse()
    {
        // W feeds Linear and, through To<double>(), a double penalty: two uses, so Linear must not update W with its
        // part of the gradient alone. With one row and lr = 0.5 the result is bit-identical to Backward(); Step().
        static float[][] Train(bool inBackward)
        {
            var rng = new Rng(21);
            Tensor<float> w = Tensor.Randn<float>(rng, 3, 4), b = Tensor.Randn<float>(rng, 3), x = Tensor.Randn<float>(rng, 1, 4);
            w.RequiresGrad = true;
            b.RequiresGrad = true;
            var sgd = new MiniNet.Optim.Sgd<float>([w, b], 0.5) { StepInBackward = inBackward };
            try
            {
                for (int step = 0; step < 3; step++)
                {
                    Tensor<double> wd = w.To<double>();
                    Tensor<float> loss = x.Linear(w, b).Tanh().Sum().Add(wd.Mul(wd).Sum().To<float>());
                    if (!inBackward)
                    {
                        sgd.ZeroGrad();
                    }

                    loss.Backward();
                    if (!inBackward)
                    {
                        sgd.Step();
                    }
                }
            }
            finally
            {
                sgd.StepInBackward = false;
            }

            return [w.ToArray(), b.ToArray()];
        }

        Train(inBackward: true).Should().BeEquivalentTo(Train(inBackward: false), o => o.WithStrictOrdering());
    }
}
