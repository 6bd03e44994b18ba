using System;
using System.Linq;
using System.Numerics;
using FluentAssertions;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Infrastructure;

/// <summary>The float64 second-derivative oracle, <see cref="SecondOrderCheck{T}"/> with T = double (most tests call this one).</summary>
public static class SecondOrderCheck
{
    /// <inheritdoc cref="SecondOrderCheck{T}.AgainstTorch"/>
    public static void AgainstTorch(
        int[][] shapes,
        Func<Tensor<double>[], Tensor<double>> mini,
        Func<TT[], TT> oracle,
        ulong seed = 7,
        Func<double, double>? sample = null,
        bool[]? gradInputs = null,
        bool gradGrad = true,
        double secondOrderTolerance = Tolerances.TorchDouble) =>
        SecondOrderCheck<double>.AgainstTorch(shapes, mini, oracle, seed, sample, gradInputs, gradGrad, secondOrderTolerance);
}

/// <summary>
/// Second-derivative oracle: first-order gradients G = d&lt;f(x), v&gt;/dx with createGraph, reduced with random
/// weights u to H = Σ &lt;G, u&gt;, then dH/dx, each compared with TorchSharp's <c>torch.autograd.grad(create_graph=true)</c>
/// in float64; the fast (span) and differentiable backward must agree; then, in float64, <see cref="GradCheck.GradGrad"/>.
/// </summary>
/// <typeparam name="T">
/// <see cref="double"/>, or <see cref="float"/>: MiniNet then runs in float32 on float inputs, v and u, and TorchSharp in
/// float64 on the same values widened exactly, so MiniNet's float result is judged against the float64 truth (not
/// against libtorch's own float32 rounding), within <see cref="Tolerances.TorchFloat"/>. Float32 is too coarse for
/// finite differences, so there TorchSharp is the only reference (as in <see cref="OpCheck{T}"/>).
/// </typeparam>
public static class SecondOrderCheck<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static bool IsDouble => typeof(T) == typeof(double);

    /// <summary>Runs every check for one op.</summary>
    /// <param name="shapes">One shape per input.</param>
    /// <param name="mini">The op in MiniNet.</param>
    /// <param name="oracle">The same op in TorchSharp (it receives float64 tensors).</param>
    /// <param name="seed">Seed of inputs, v and u.</param>
    /// <param name="sample">Maps a standard normal sample to an input value.</param>
    /// <param name="gradInputs">Which inputs are differentiated (default: all).</param>
    /// <param name="gradGrad">Whether to run finite differences of the first-order gradients too (float64 only).</param>
    /// <param name="secondOrderTolerance">
    /// Tolerance of the second derivatives; only a documented constant from <see cref="Tolerances"/> (default
    /// <see cref="Tolerances.TorchDouble"/> for double, <see cref="Tolerances.TorchFloat"/> for float). In float32 the
    /// first-order comparisons use it too: an op whose gradients cancel (sums of signed terms) needs its float
    /// tolerance (e.g. <see cref="Tolerances.TorchFloatLongSums"/>) at both orders.
    /// </param>
    public static void AgainstTorch(
        int[][] shapes,
        Func<Tensor<T>[], Tensor<T>> mini,
        Func<TT[], TT> oracle,
        ulong seed = 7,
        Func<double, double>? sample = null,
        bool[]? gradInputs = null,
        bool gradGrad = true,
        double? secondOrderTolerance = null)
    {
        // Float: every comparison is of float results with float64 ones (or, fast vs differentiable, with float results
        // rounded along other paths), so each meets the same cancellations and gets the op's one float tolerance.
        double secondTolerance = secondOrderTolerance ?? (IsDouble ? Tolerances.TorchDouble : Tolerances.TorchFloat);
        double firstOrder = IsDouble ? Tolerances.TorchDouble : secondTolerance;
        double fastVsDifferentiable = IsDouble ? Tolerances.ClosedForm : secondTolerance;
        var rng = new Rng(seed);
        Tensor<T>[] inputs = shapes.Select(s => OpCheck<T>.Inputs(rng, s, sample)).ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].RequiresGrad = gradInputs?[i] ?? true;
        }

        Tensor<T>[] wrt = inputs.Where(t => t.RequiresGrad).ToArray();
        Tensor<T> probe;
        using (MiniNet.Autograd.NoGrad())
        {
            probe = mini(inputs);
        }

        Tensor<T> v = Tensor.Randn<T>(rng, probe.Shape.ToArray());
        Tensor<T>[] u = wrt.Select(t => Tensor.Randn<T>(rng, t.Shape.ToArray())).ToArray();

        Tensor<T>?[] fast = MiniNet.Autograd.Grad([mini(inputs)], wrt, [v], allowUnused: true);
        Tensor<T>?[] first = MiniNet.Autograd.Grad([mini(inputs)], wrt, [v], createGraph: true, allowUnused: true);
        for (int k = 0; k < wrt.Length; k++)
        {
            TorchOracle.AssertClose(Values(first[k], wrt[k]), Values(fast[k], wrt[k]), fastVsDifferentiable, $"differentiable vs fast gradient of input {k}");
        }

        Tensor<T>? h = null;
        for (int k = 0; k < wrt.Length; k++)
        {
            if (first[k] is { RequiresGrad: true } g)
            {
                Tensor<T> term = g.Mul(u[k]).Sum();
                h = h is null ? term : h.Add(term);
            }
        }

        Tensor<T>?[] second = h is null ? new Tensor<T>?[wrt.Length] : MiniNet.Autograd.Grad([h], wrt, allowUnused: true);

        using var scope = torch.NewDisposeScope();
        TT[] torchInputs = inputs.Select(t => ToTorch64(t.Detach(), t.RequiresGrad)).ToArray();
        TT[] torchWrt = torchInputs.Where(t => t.requires_grad).ToArray();
        TT torchOutput = oracle(torchInputs);
        var torchFirst = torch.autograd.grad([torchOutput], torchWrt, [ToTorch64(v)], retain_graph: true, create_graph: true, allow_unused: true);
        TT torchH = torch.zeros(1, dtype: torch.float64);
        for (int k = 0; k < torchWrt.Length; k++)
        {
            // + 0 * sum(x) keeps every input connected, so TorchSharp never returns an undefined gradient.
            torchH = torchH + (torchFirst[k] * ToTorch64(u[k])).sum() + (torchWrt[k] * 0.0).sum();
        }

        var torchSecond = torch.autograd.grad([torchH], torchWrt);
        for (int k = 0; k < wrt.Length; k++)
        {
            TorchOracle.AssertClose(Values(first[k], wrt[k]), TorchOracle.Values(torchFirst[k]), firstOrder, $"first-order gradient of input {k}");
            TorchOracle.AssertClose(Values(second[k], wrt[k]), TorchOracle.Values(torchSecond[k]), secondTolerance, $"second-order gradient of input {k}");
        }

        if (gradGrad && inputs is Tensor<double>[] doubles)
        {
            var f = (Func<Tensor<double>[], Tensor<double>>)(object)mini;
            GradCheckResult check = GradCheck.GradGrad(f, doubles, seed: seed);
            check.Passed(Tolerances.GradGrad).Should().BeTrue(check.ToString());
        }
    }

    // A gradient's values as double; zeros for an unused input (null gradient).
    private static double[] Values(Tensor<T>? gradient, Tensor<T> input) =>
        gradient?.ToArray().Select(double.CreateChecked).ToArray() ?? new double[input.Count];

    // A float64 TorchSharp copy of t (a float's widening to double is exact).
    private static TT ToTorch64(Tensor<T> t, bool requiresGrad = false) =>
        TorchOracle.ToTorch(t.Detach().To<double>(), requiresGrad);
}
