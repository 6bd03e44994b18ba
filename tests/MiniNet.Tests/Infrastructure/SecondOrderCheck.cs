using System;
using System.Linq;
using FluentAssertions;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Infrastructure;

/// <summary>
/// Second-derivative oracle: first-order gradients G = d&lt;f(x), v&gt;/dx with createGraph, reduced with random
/// weights u to H = Σ &lt;G, u&gt;, then dH/dx, each compared with TorchSharp's <c>torch.autograd.grad(create_graph=true)</c>
/// in float64; the fast (span) and differentiable backward must agree; then <see cref="GradCheck.GradGrad"/>.
/// </summary>
public static class SecondOrderCheck
{
    /// <summary>Runs every check for one op.</summary>
    /// <param name="shapes">One shape per input.</param>
    /// <param name="mini">The op in MiniNet.</param>
    /// <param name="oracle">The same op in TorchSharp.</param>
    /// <param name="seed">Seed of inputs, v and u.</param>
    /// <param name="sample">Maps a standard normal sample to an input value.</param>
    /// <param name="gradInputs">Which inputs are differentiated (default: all).</param>
    /// <param name="gradGrad">Whether to run finite differences of the first-order gradients too.</param>
    /// <param name="secondOrderTolerance">Tolerance of the second derivatives; only a documented constant from <see cref="Tolerances"/>.</param>
    public static void AgainstTorch(
        int[][] shapes,
        Func<Tensor<double>[], Tensor<double>> mini,
        Func<TT[], TT> oracle,
        ulong seed = 7,
        Func<double, double>? sample = null,
        bool[]? gradInputs = null,
        bool gradGrad = true,
        double secondOrderTolerance = Tolerances.TorchDouble)
    {
        var rng = new Rng(seed);
        Tensor<double>[] inputs = shapes.Select(s => OpCheck<double>.Inputs(rng, s, sample)).ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].RequiresGrad = gradInputs?[i] ?? true;
        }

        Tensor<double>[] wrt = inputs.Where(t => t.RequiresGrad).ToArray();
        Tensor<double> probe;
        using (MiniNet.Autograd.NoGrad())
        {
            probe = mini(inputs);
        }

        Tensor<double> v = Tensor.Randn<double>(rng, probe.Shape.ToArray());
        Tensor<double>[] u = wrt.Select(t => Tensor.Randn<double>(rng, t.Shape.ToArray())).ToArray();

        // Fast and differentiable first-order backward agree.
        Tensor<double>?[] fast = MiniNet.Autograd.Grad([mini(inputs)], wrt, [v], allowUnused: true);
        Tensor<double>?[] first = MiniNet.Autograd.Grad([mini(inputs)], wrt, [v], createGraph: true, allowUnused: true);
        for (int k = 0; k < wrt.Length; k++)
        {
            double[] f = fast[k]?.ToArray() ?? new double[wrt[k].Count];
            double[] d = first[k]?.ToArray() ?? new double[wrt[k].Count];
            TorchOracle.AssertClose(d, f, Tolerances.ClosedForm, $"differentiable vs fast gradient of input {k}");
        }

        Tensor<double>? h = null;
        for (int k = 0; k < wrt.Length; k++)
        {
            if (first[k] is { RequiresGrad: true } g)
            {
                Tensor<double> term = g.Mul(u[k]).Sum();
                h = h is null ? term : h.Add(term);
            }
        }

        Tensor<double>?[] second = h is null ? new Tensor<double>?[wrt.Length] : MiniNet.Autograd.Grad([h], wrt, allowUnused: true);

        using var scope = torch.NewDisposeScope();
        TT[] torchInputs = inputs.Select(t => TorchOracle.ToTorch(t.Detach(), t.RequiresGrad)).ToArray();
        TT[] torchWrt = torchInputs.Where(t => t.requires_grad).ToArray();
        TT torchOutput = oracle(torchInputs);
        var torchFirst = torch.autograd.grad([torchOutput], torchWrt, [TorchOracle.ToTorch(v)], retain_graph: true, create_graph: true, allow_unused: true);
        TT torchH = torch.zeros(1, dtype: torch.float64);
        for (int k = 0; k < torchWrt.Length; k++)
        {
            // + 0 * sum(x) keeps every input connected, so TorchSharp never returns an undefined gradient.
            torchH = torchH + (torchFirst[k] * TorchOracle.ToTorch(u[k])).sum() + (torchWrt[k] * 0.0).sum();
        }

        var torchSecond = torch.autograd.grad([torchH], torchWrt);
        for (int k = 0; k < wrt.Length; k++)
        {
            TorchOracle.AssertClose(first[k]?.ToArray() ?? new double[wrt[k].Count], TorchOracle.Values(torchFirst[k]), Tolerances.TorchDouble, $"first-order gradient of input {k}");
            TorchOracle.AssertClose(second[k]?.ToArray() ?? new double[wrt[k].Count], TorchOracle.Values(torchSecond[k]), secondOrderTolerance, $"second-order gradient of input {k}");
        }

        if (gradGrad)
        {
            GradCheckResult check = GradCheck.GradGrad(mini, inputs, seed: seed);
            check.Passed(Tolerances.GradGrad).Should().BeTrue(check.ToString());
        }
    }
}
