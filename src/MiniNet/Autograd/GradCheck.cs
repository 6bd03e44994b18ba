using System;
using System.Linq;

namespace MiniNet;

/// <summary>
/// Checks the tape's gradients against central finite differences in double precision.
/// </summary>
/// <remarks>
/// PyTorch: <c>torch.autograd.gradcheck</c>. For a function f with inputs x, a fixed random upstream gradient v
/// (seeded) turns any output into the scalar <c>L = sum(f(x) ⊙ v)</c>; the analytic gradient of L from
/// <see cref="Tensor{T}.Backward"/> is compared, element by element, with <c>(L(x + h e_i) - L(x - h e_i)) / 2h</c>.
/// A random v (rather than all ones) catches gradients that are transposed or summed over the wrong axis.
/// </remarks>
public static class GradCheck
{
    /// <summary>Runs the check over every element of every input that requires a gradient.</summary>
    /// <param name="function">The function under test; it must be deterministic and build its graph from the inputs.</param>
    /// <param name="inputs">The inputs; those with <see cref="Tensor{T}.RequiresGrad"/> are checked. They are perturbed and restored.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <param name="seed">Seed of the upstream gradient v.</param>
    /// <returns>The worst absolute and relative errors and where they occurred.</returns>
    /// <exception cref="ArgumentException">No input requires a gradient.</exception>
    public static GradCheckResult Run(Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] inputs, double step = 1e-6, ulong seed = 1234) =>
        RunCore(function, inputs, step, seed, projectWithGrad: false);

    /// <summary>
    /// Checks second derivatives (PyTorch: <c>torch.autograd.gradgradcheck</c>): the first-order gradients
    /// <c>G = d&lt;f(x), v&gt;/dx</c> are computed with <see cref="Autograd.Grad{T}(System.Collections.Generic.IReadOnlyList{Tensor{T}}, System.Collections.Generic.IReadOnlyList{Tensor{T}}, System.Collections.Generic.IReadOnlyList{Tensor{T}?}?, bool?, bool, bool)"/>
    /// and <c>createGraph: true</c>, reduced with fixed random weights u to <c>H(x, v) = sum &lt;G, u&gt;</c>, and the
    /// gradient of H with respect to every checked input and to the upstream gradient v is compared with central
    /// differences of H, as <see cref="Run"/> does.
    /// </summary>
    /// <param name="function">The function under test; deterministic, building its graph from the inputs.</param>
    /// <param name="inputs">The inputs; those with <see cref="Tensor{T}.RequiresGrad"/> are checked. They are perturbed and restored.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <param name="seed">Seed of v and u.</param>
    /// <returns>The worst errors; input index <c>inputs.Length</c> stands for v.</returns>
    /// <exception cref="ArgumentException">No input requires a gradient.</exception>
    /// <exception cref="NotSupportedException">An op of <paramref name="function"/> has no differentiable backward.</exception>
    public static GradCheckResult GradGrad(Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] inputs, double step = 1e-6, ulong seed = 1234)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        int[] checkedInputs = Array.FindAll(Enumerable.Range(0, inputs.Length).ToArray(), i => inputs[i].RequiresGrad);
        if (checkedInputs.Length == 0)
        {
            throw new ArgumentException("GradGrad needs at least one input with RequiresGrad = true.", nameof(inputs));
        }

        Tensor<double> probe;
        using (Autograd.NoGrad())
        {
            probe = function(inputs);
        }

        var rng = new Rng(seed + 1);
        Tensor<double> v = Tensor.Randn<double>(rng, probe.Shape.ToArray());
        v.RequiresGrad = true;
        Tensor<double>[] u = Array.ConvertAll(checkedInputs, i => Tensor.Randn<double>(rng, inputs[i].Shape.ToArray()));
        Tensor<double> FirstOrder(Tensor<double>[] all)
        {
            Tensor<double>[] xs = all[..^1];
            Tensor<double> y = function(xs);
            Tensor<double>?[] grads = Autograd.Grad([y], Array.ConvertAll(checkedInputs, i => xs[i]), [all[^1]], createGraph: true, allowUnused: true);
            Tensor<double>? total = null;
            for (int k = 0; k < grads.Length; k++)
            {
                if (grads[k] is { } g)
                {
                    Tensor<double> term = g.Mul(u[k]).Sum();
                    total = total is null ? term : total.Add(term);
                }
            }

            return total ?? throw new ArgumentException("GradGrad: no checked input affects the function's output.", nameof(inputs));
        }

        return RunCore(FirstOrder, [.. inputs, v], step, seed, projectWithGrad: true);
    }

    private static GradCheckResult RunCore(Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] inputs, double step, ulong seed, bool projectWithGrad)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        if (Array.TrueForAll(inputs, t => !t.RequiresGrad))
        {
            throw new ArgumentException("GradCheck needs at least one input with RequiresGrad = true.", nameof(inputs));
        }

        foreach (Tensor<double> input in inputs)
        {
            input.Grad = null;
        }

        Tensor<double> output = function(inputs);
        Tensor<double> v = Tensor.Randn<double>(new Rng(seed), output.Shape.ToArray());
        output.Backward(v);

        var result = new GradCheckResult(0, 0, 0, -1, -1, 0, 0);
        for (int t = 0; t < inputs.Length; t++)
        {
            Tensor<double> input = inputs[t];
            if (!input.RequiresGrad)
            {
                continue;
            }

            double[] analytic = input.Grad?.ToArray() ?? new double[input.Count];
            Span<double> storage = input.KernelWriteSpan;
            for (int i = 0; i < input.Count; i++)
            {
                double original = storage[i];
                storage[i] = original + step;
                double plus = Project(function, inputs, v, projectWithGrad);
                storage[i] = original - step;
                double minus = Project(function, inputs, v, projectWithGrad);
                storage[i] = original;
                double numeric = (plus - minus) / (2 * step);
                double abs = Math.Abs(analytic[i] - numeric);
                double rel = abs / Math.Max(Math.Abs(numeric), 1e-8);
                double mixed = abs / (1 + Math.Abs(numeric));
                if (double.IsNaN(mixed) || mixed > result.MaxMixedError)
                {
                    result = result with { MaxMixedError = double.IsNaN(mixed) ? double.PositiveInfinity : mixed };
                }

                if (double.IsNaN(abs) || abs > result.MaxAbsoluteError)
                {
                    result = result with { MaxAbsoluteError = double.IsNaN(abs) ? double.PositiveInfinity : abs, WorstInput = t, WorstElement = i, Analytic = analytic[i], Numeric = numeric };
                }

                if (double.IsNaN(rel) || rel > result.MaxRelativeError)
                {
                    result = result with { MaxRelativeError = double.IsNaN(rel) ? double.PositiveInfinity : rel };
                }
            }
        }

        return result;
    }

    private static double Project(Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] inputs, Tensor<double> v, bool withGrad)
    {
        // GradGrad's function differentiates internally, so it must run with recording on.
        using (withGrad ? default : Autograd.NoGrad())
        {
            ReadOnlySpan<double> output = function(inputs).AsReadOnlySpan();
            ReadOnlySpan<double> weights = v.AsReadOnlySpan();
            double sum = 0;
            for (int i = 0; i < output.Length; i++)
            {
                sum += output[i] * weights[i];
            }

            return sum;
        }
    }
}

/// <summary>The outcome of <see cref="GradCheck.Run"/>.</summary>
/// <param name="MaxAbsoluteError">The largest <c>|analytic - numeric|</c>.</param>
/// <param name="MaxRelativeError">The largest <c>|analytic - numeric| / max(|numeric|, 1e-8)</c>.</param>
/// <param name="MaxMixedError">The largest <c>|analytic - numeric| / (1 + |numeric|)</c>: absolute for small gradients, relative for large ones.</param>
/// <param name="WorstInput">Index of the input holding the largest absolute error.</param>
/// <param name="WorstElement">Flat index of that element.</param>
/// <param name="Analytic">The tape's gradient there.</param>
/// <param name="Numeric">The finite-difference estimate there.</param>
public readonly record struct GradCheckResult(
    double MaxAbsoluteError, double MaxRelativeError, double MaxMixedError, int WorstInput, int WorstElement, double Analytic, double Numeric)
{
    /// <summary>True when every element satisfies <c>|analytic - numeric| &lt;= tolerance * (1 + |numeric|)</c>.</summary>
    /// <param name="tolerance">The tolerance; 1e-6 suits double with the default step 1e-6 on smooth functions.</param>
    /// <returns>Whether the check passed.</returns>
    public bool Passed(double tolerance = 1e-6) => MaxMixedError <= tolerance;

    /// <summary>Describes the worst point.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"max |analytic - numeric| = {MaxAbsoluteError:G3} at input {WorstInput}, element {WorstElement} (analytic {Analytic:G17}, numeric {Numeric:G17}); max relative error {MaxRelativeError:G3}; max mixed error {MaxMixedError:G3}";
}
