using System;
using System.Linq;
using FluentAssertions;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Infrastructure;

/// <summary>
/// The one oracle helper: runs an op in MiniNet and in TorchSharp on the same seeded inputs, pushes the same
/// random upstream gradient through both (loss = Σ out ⊙ g, so a transposed or mis-summed gradient shows), and
/// compares the forward values and every input gradient. Then checks the tape against central differences.
/// </summary>
public static class OpCheck
{
    /// <summary>Compares in float64 against TorchSharp (tolerance <see cref="Tolerances.TorchDouble"/>) and runs <see cref="GradCheck"/>.</summary>
    /// <param name="shapes">One shape per input.</param>
    /// <param name="mini">The op in MiniNet.</param>
    /// <param name="oracle">The same op in TorchSharp.</param>
    /// <param name="seed">Seed of inputs and upstream gradient.</param>
    /// <param name="sample">Maps a standard normal sample to an input value (e.g. to keep Log's input positive).</param>
    /// <param name="gradInputs">Which inputs get gradients (default: all).</param>
    /// <param name="gradCheck">Whether to run finite differences too.</param>
    public static void AgainstTorch(
        int[][] shapes,
        Func<Tensor<double>[], Tensor<double>> mini,
        Func<TT[], TT> oracle,
        ulong seed = 42,
        Func<double, double>? sample = null,
        bool[]? gradInputs = null,
        bool gradCheck = true)
    {
        var rng = new Rng(seed);
        Tensor<double>[] inputs = shapes.Select(s => Inputs(rng, s, sample)).ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].RequiresGrad = gradInputs?[i] ?? true;
        }

        Tensor<double> output = mini(inputs);
        Tensor<double> upstream = Tensor.Randn<double>(rng, output.Shape.ToArray());
        output.Backward(upstream);

        using var scope = torch.NewDisposeScope();
        TT[] torchInputs = inputs.Select(t => TorchOracle.ToTorch(t.Detach(), t.RequiresGrad)).ToArray();
        TT torchOutput = oracle(torchInputs);
        TorchOracle.ShapeOf(torchOutput).Should().Equal(output.Shape.ToArray(), "the output shape must match TorchSharp's");
        TorchOracle.AssertClose(output.ToArray(), TorchOracle.Values(torchOutput), Tolerances.TorchDouble, "forward (double)");
        if (torchOutput.requires_grad)
        {
            torchOutput.backward(new[] { TorchOracle.ToTorch(upstream) });
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].RequiresGrad)
            {
                continue;
            }

            double[] expected = torchInputs[i].grad is { } g ? TorchOracle.Values(g) : new double[inputs[i].Count];
            double[] actual = inputs[i].Grad?.ToArray() ?? new double[inputs[i].Count];
            TorchOracle.AssertClose(actual, expected, Tolerances.TorchDouble, $"gradient of input {i} (double)");
        }

        if (gradCheck)
        {
            GradCheckResult check = GradCheck.Run(mini, inputs);
            check.Passed(Tolerances.GradCheck).Should().BeTrue(check.ToString());
        }
    }

    /// <summary>Compares in float32 against TorchSharp (tolerance <see cref="Tolerances.TorchFloat"/>).</summary>
    /// <param name="shapes">One shape per input.</param>
    /// <param name="mini">The op in MiniNet.</param>
    /// <param name="oracle">The same op in TorchSharp.</param>
    /// <param name="seed">Seed of inputs and upstream gradient.</param>
    /// <param name="sample">Maps a standard normal sample to an input value.</param>
    /// <param name="gradInputs">Which inputs get gradients (default: all).</param>
    /// <param name="tolerance">Relative tolerance; only a documented constant from <see cref="Tolerances"/> (default <see cref="Tolerances.TorchFloat"/>).</param>
    public static void AgainstTorchFloat(
        int[][] shapes,
        Func<Tensor<float>[], Tensor<float>> mini,
        Func<TT[], TT> oracle,
        ulong seed = 42,
        Func<double, double>? sample = null,
        bool[]? gradInputs = null,
        double tolerance = Tolerances.TorchFloat)
    {
        var rng = new Rng(seed);
        Tensor<float>[] inputs = shapes.Select(s => ToFloat(Inputs(rng, s, sample))).ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].RequiresGrad = gradInputs?[i] ?? true;
        }

        Tensor<float> output = mini(inputs);
        Tensor<float> upstream = Tensor.Randn<float>(rng, output.Shape.ToArray());
        output.Backward(upstream);

        using var scope = torch.NewDisposeScope();
        TT[] torchInputs = inputs.Select(t => TorchOracle.ToTorch(t.Detach(), t.RequiresGrad)).ToArray();
        TT torchOutput = oracle(torchInputs);
        TorchOracle.AssertClose(output.ToArray().Select(v => (double)v).ToArray(), TorchOracle.Values(torchOutput), tolerance, "forward (float)");
        if (torchOutput.requires_grad)
        {
            torchOutput.backward(new[] { TorchOracle.ToTorch(upstream) });
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].RequiresGrad)
            {
                continue;
            }

            double[] expected = torchInputs[i].grad is { } g ? TorchOracle.Values(g) : new double[inputs[i].Count];
            double[] actual = inputs[i].Grad?.ToArray().Select(v => (double)v).ToArray() ?? new double[inputs[i].Count];
            TorchOracle.AssertClose(actual, expected, tolerance, $"gradient of input {i} (float)");
        }
    }

    private static Tensor<double> Inputs(Rng rng, int[] shape, Func<double, double>? sample)
    {
        Tensor<double> t = Tensor.Randn<double>(rng, shape);
        if (sample is not null)
        {
            Span<double> span = t.AsSpanForWrite();
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = sample(span[i]);
            }
        }

        return t;
    }

    private static Tensor<float> ToFloat(Tensor<double> t) =>
        Tensor.FromArray<float>(t.ToArray().Select(v => (float)v).ToArray(), t.Shape);
}
