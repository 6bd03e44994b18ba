using System;
using System.Linq;
using FluentAssertions;
using MiniNet.Optim;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Optim;

/// <summary>Runs a MiniNet optimizer and TorchSharp's side by side on the same parameters and random gradients.</summary>
public static class OptimizerOracle
{
    /// <summary>Parameter shapes: a matrix, a vector and a scalar.</summary>
    public static readonly int[][] ParameterShapes = { new[] { 3, 2 }, new[] { 4 }, Array.Empty<int>() };

    /// <summary>
    /// Creates seeded parameters, hands them to both libraries, then for <paramref name="steps"/> steps sets the same
    /// random gradient on each and steps every optimizer, asserting after each step that the parameters agree to
    /// <see cref="Tolerances.TorchDouble"/>. <paramref name="oracle"/> may return several TorchSharp optimizers (one per
    /// parameter group, say); each is stepped.
    /// </summary>
    public static Optimizer<double> Run(
        Func<Tensor<double>[], Optimizer<double>> mini, Func<TorchSharp.Modules.Parameter[], torch.optim.Optimizer[]> oracle, int steps = 5, ulong seed = 21)
    {
        var rng = new Rng(seed);
        Tensor<double>[] ps = ParameterShapes.Select(s => Tensor.Randn<double>(rng, s)).ToArray();
        foreach (var p in ps)
        {
            p.RequiresGrad = true;
        }

        using var scope = torch.NewDisposeScope();
        TorchSharp.Modules.Parameter[] tps = ps.Select(p => new TorchSharp.Modules.Parameter(TorchOracle.ToTorch(p.Detach()))).ToArray();
        Optimizer<double> optimizer = mini(ps);
        torch.optim.Optimizer[] torchOptimizers = oracle(tps);
        for (int step = 0; step < steps; step++)
        {
            Tensor<double>[] grads = ps.Select(p => Tensor.Randn<double>(rng, p.Shape.ToArray())).ToArray();
            optimizer.ZeroGrad();
            foreach (var t in torchOptimizers)
            {
                t.zero_grad();
            }

            for (int i = 0; i < ps.Length; i++)
            {
                ps[i].Grad = grads[i];

                // d/dp sum(p * g) = g exactly, so torch sees the same gradient.
                TT loss = (tps[i] * TorchOracle.ToTorch(grads[i])).sum();
                loss.backward();
            }

            optimizer.Step();
            foreach (var t in torchOptimizers)
            {
                t.step();
            }

            for (int i = 0; i < ps.Length; i++)
            {
                TorchOracle.AssertClose(ps[i].ToArray(), TorchOracle.Values(tps[i]), Tolerances.TorchDouble, $"parameter {i} after step {step + 1}");
            }
        }

        optimizer.StepCount.Should().Be(steps);
        return optimizer;
    }
}
