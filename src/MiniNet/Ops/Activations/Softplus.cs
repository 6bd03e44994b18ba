using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The softplus, elementwise: <c>out[i] = ln(1 + e^(beta x[i])) / beta</c>, and <c>x[i]</c> itself where
    /// <c>beta x[i] &gt; threshold</c> (PyTorch's linear regime).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="beta">The sharpness (default 1); must be positive and finite.</param>
    /// <param name="threshold">Above <c>beta x &gt; threshold</c> the result is <c>x</c> (default 20); must not be NaN.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape, positive (or 0 where <c>e^(beta x)</c> underflows).</returns>
    /// <remarks>
    /// PyTorch: <c>F.softplus(x, beta, threshold)</c>. Below the threshold it is computed as
    /// <c>(max(bx, 0) + log1p(e^-|bx|)) / beta</c>, which never overflows (PyTorch's <c>log1p(exp(bx))</c> does for a
    /// threshold above ~88 in float). Backward: <c>sigma(beta x)</c> below the threshold, 1 above.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="beta"/> is not positive and finite, or <paramref name="threshold"/> is NaN.</exception>
    public static Tensor<T> Softplus<T>(this Tensor<T> x, double beta = 1, double threshold = 20)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(beta > 0) || double.IsInfinity(beta) || double.IsNaN(threshold))
        {
            throw new ArgumentException(
                $"Softplus: beta must be positive and finite and threshold not NaN, got beta = {beta}, threshold = {threshold} (input shape {x.Shape}).",
                double.IsNaN(threshold) ? nameof(threshold) : nameof(beta));
        }

        T b = T.CreateTruncating(beta), limit = T.CreateTruncating(threshold);
        var output = Tensor<T>.Uninitialized(x.Shape);
        Vectorized.Map(new SoftplusOperator<T>(b, limit), x.KernelReadSpan, output.KernelWriteSpan);
        GC.KeepAlive(x); // kernel spans do not keep x's storage from the pool (see StoragePool)

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new SoftplusBackward<T>(output, x, b, limit));
        }

        return output;
    }
}

/// <summary>Backward of <c>softplus(x)</c>.</summary>
file sealed class SoftplusBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _beta;
    private readonly T _threshold;

    public SoftplusBackward(Tensor<T> output, Tensor<T> x, T beta, T threshold)
        : base(output, x)
    {
        (_beta, _threshold) = (beta, threshold);
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Softplus";

    // d/dx ln(1 + e^(bx))/b = e^(bx)/(1 + e^(bx)) = sigma(bx) below the threshold; d x/dx = 1 above it.
    public override void Backward()
    {
        Span<T> grad = GradFor(0, out bool accumulate);
        Pointwise.Gradient(new SoftplusGradOperator<T>(_beta, _threshold), Inputs[0].KernelReadSpan, GradOutput, grad, accumulate);
    }

    // sigma(bx) masked below the threshold, plus 1 above it; its own derivative is b sigma'(bx) below, 0 above.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        T beta = _beta, threshold = _threshold;
        Tensor<T> x = Inputs[0];
        Tensor<T> above = Derivatives.Constant(x, v => beta * v > threshold ? T.One : T.Zero);
        Tensor<T> below = Derivatives.Constant(x, v => beta * v > threshold ? T.Zero : T.One);
        return [gradOutput.Mul(x.Mul(beta).Sigmoid().Mul(below).Add(above))];
    }
}
