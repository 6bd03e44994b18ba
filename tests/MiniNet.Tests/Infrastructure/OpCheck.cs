using System;
using System.Linq;
using System.Numerics;
using FluentAssertions;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Infrastructure;

/// <summary>
/// The one first-order oracle helper, for both element types: runs an op in MiniNet and in TorchSharp on the same
/// seeded inputs, pushes the same random upstream gradient through both (loss = Σ out ⊙ g, so a transposed or
/// mis-summed gradient shows), and compares the output shape, the forward values and every input gradient. In
/// float64 it then checks the tape against central differences (<see cref="GradCheck"/>); float32 is too coarse for
/// finite differences, so there TorchSharp is the only reference.
/// </summary>
/// <typeparam name="T"><see cref="double"/> (tolerance <see cref="Tolerances.TorchDouble"/>) or <see cref="float"/> (<see cref="Tolerances.TorchFloat"/>).</typeparam>
public static class OpCheck<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static bool IsDouble => typeof(T) == typeof(double);

    /// <summary>The default tolerance for <typeparamref name="T"/>.</summary>
    public static double DefaultTolerance => IsDouble ? Tolerances.TorchDouble : Tolerances.TorchFloat;

    /// <summary>Compares the op with TorchSharp (and, in float64, with finite differences).</summary>
    /// <param name="shapes">One shape per input.</param>
    /// <param name="mini">The op in MiniNet.</param>
    /// <param name="oracle">The same op in TorchSharp.</param>
    /// <param name="seed">Seed of inputs and upstream gradient.</param>
    /// <param name="sample">Maps a standard normal sample to an input value (e.g. to keep Log's input positive).</param>
    /// <param name="gradInputs">Which inputs get gradients (default: all).</param>
    /// <param name="gradCheck">Whether to run finite differences too (float64 only).</param>
    /// <param name="tolerance">Relative tolerance; only a documented constant from <see cref="Tolerances"/> (default <see cref="DefaultTolerance"/>).</param>
    /// <param name="layout">
    /// How the op receives its inputs: the sampled leaves (default), or non-contiguous views of them
    /// (<see cref="NonContiguous"/>): gradients are still compared on the leaves, and GradCheck perturbs the leaves.
    /// </param>
    public static void AgainstTorch(
        int[][] shapes,
        Func<Tensor<T>[], Tensor<T>> mini,
        Func<TT[], TT> oracle,
        ulong seed = 42,
        Func<double, double>? sample = null,
        bool[]? gradInputs = null,
        bool gradCheck = true,
        double? tolerance = null,
        InputLayout layout = InputLayout.Contiguous)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        if (layout != InputLayout.Contiguous)
        {
            AgainstTorch(
                shapes.Select(s => NonContiguous.LeafShape(layout, s)).ToArray(),
                xs => mini(xs.Select((x, i) => NonContiguous.Apply(layout, x, shapes[i])).ToArray()),
                ts => oracle(ts.Select((t, i) => NonContiguous.ApplyTorch(layout, t, shapes[i])).ToArray()),
                seed,
                sample,
                gradInputs,
                gradCheck,
                tolerance);
            return;
        }

        double tol = tolerance ?? DefaultTolerance;
        string type = IsDouble ? "double" : "float";
        var rng = new Rng(seed);
        Tensor<T>[] inputs = shapes.Select(s => Inputs(rng, s, sample)).ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].RequiresGrad = gradInputs?[i] ?? true;
        }

        Tensor<T> output = mini(inputs);
        Tensor<T> upstream = Tensor.Randn<T>(rng, output.Shape.ToArray());
        output.Backward(upstream);

        using var scope = torch.NewDisposeScope();
        TT[] torchInputs = inputs.Select(t => TorchOracle.ToTorch(t.Detach(), t.RequiresGrad)).ToArray();
        TT torchOutput = oracle(torchInputs);
        TorchOracle.ShapeOf(torchOutput).Should().Equal(output.Shape.ToArray(), "the output shape must match TorchSharp's");
        TorchOracle.AssertClose(ToDouble(output), TorchOracle.Values(torchOutput), tol, $"forward ({type})");
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
            double[] actual = inputs[i].Grad is { } grad ? ToDouble(grad) : new double[inputs[i].Count];
            TorchOracle.AssertClose(actual, expected, tol, $"gradient of input {i} ({type})");
        }

        if (gradCheck && inputs is Tensor<double>[] doubles)
        {
            var f = (Func<Tensor<double>[], Tensor<double>>)(object)mini;
            GradCheckResult check = GradCheck.Run(f, doubles);
            check.Passed(Tolerances.GradCheck).Should().BeTrue(check.ToString());
        }
    }

    /// <summary>Standard normal samples of <paramref name="shape"/>, drawn in double, mapped by <paramref name="sample"/>, then converted to T.</summary>
    internal static Tensor<T> Inputs(Rng rng, int[] shape, Func<double, double>? sample)
    {
        double[] values = Tensor.Randn<double>(rng, shape).ToArray();
        // new Shape(shape): the params overload reads an empty shape as 1-D, which would turn every rank-0 case into [1].
        return Tensor.FromArray<T>(values.Select(v => T.CreateChecked(sample is null ? v : sample(v))).ToArray(), new Shape(shape));
    }

    private static double[] ToDouble(Tensor<T> t) => t.ToArray().Select(double.CreateChecked).ToArray();
}
