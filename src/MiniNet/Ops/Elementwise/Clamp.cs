using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>Clamps every element into <c>[min, max]</c>: <c>out[i] = min(max(x[i], min), max)</c>; a missing bound is not applied.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="min">The lower bound, or null for none.</param>
    /// <param name="max">The upper bound, or null for none.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape. NaN stays NaN; when <c>min &gt; max</c> every element is <c>max</c>, as in PyTorch.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.clamp(x, min, max)</c>. Backward: the gradient passes where <c>min &lt;= x &lt;= max</c>
    /// (bounds inclusive, as PyTorch) and is 0 elsewhere and at NaN.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">Both bounds are null.</exception>
    public static Tensor<T> Clamp<T>(this Tensor<T> x, T? min, T? max)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (min is null && max is null)
        {
            throw new ArgumentException($"Clamp: at least one of min and max must be given (input shape {x.Shape}).", nameof(min));
        }

        var output = Tensor<T>.Uninitialized(x.Shape);
        ReadOnlySpan<T> source = x.KernelReadSpan; // x stays reachable: Tape.ShouldRecord(x) reads it after the kernels

        // TensorPrimitives.Max/Min propagate NaN (IEEE 754-2019 maximum/minimum), as torch.clamp does.
        if (min is { } lo)
        {
            TensorPrimitives.Max(source, lo, output.KernelWriteSpan);
            source = output.KernelReadSpan;
        }

        if (max is { } hi)
        {
            TensorPrimitives.Min(source, hi, output.KernelWriteSpan);
        }

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new ClampBackward<T>(output, x, min, max));
        }

        return output;
    }

    /// <summary>Clamps every element from below: <c>out[i] = max(x[i], min)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="min">The lower bound.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.clamp_min</c>. Backward: the gradient passes where <c>x &gt;= min</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> ClampMin<T>(this Tensor<T> x, T min)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.Clamp(min, null);

    /// <summary>Clamps every element from above: <c>out[i] = min(x[i], max)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.clamp_max</c>. Backward: the gradient passes where <c>x &lt;= max</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> ClampMax<T>(this Tensor<T> x, T max)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.Clamp(null, max);

    // With a double constant, so a literal fits either element type (x.Clamp(-0.5, 0.5) on a Tensor<float>): the constant is
    // rounded to T first, as PyTorch casts a Python number to the tensor's dtype. For T = double both overloads have the
    // same parameters and C# picks this one (the non-generic parameter is more specific), which does the same.
    /// <summary>Clamps every element into <c>[min, max]</c>, bounds given as <see cref="double"/> (rounded to <typeparamref name="T"/>); a missing bound is not applied.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="min">The lower bound, or null for none.</param>
    /// <param name="max">The upper bound, or null for none.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape; see <see cref="Clamp{T}(Tensor{T}, T?, T?)"/>.</returns>
    /// <remarks>PyTorch: <c>torch.clamp(x, min, max)</c> with Python numbers.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">Both bounds are null.</exception>
    public static Tensor<T> Clamp<T>(this Tensor<T> x, double? min, double? max)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        x.Clamp(min is { } lo ? T.CreateChecked(lo) : null, max is { } hi ? T.CreateChecked(hi) : (T?)null);

    /// <summary>Clamps every element from below, the bound given as a <see cref="double"/> (rounded to <typeparamref name="T"/>): <c>out[i] = max(x[i], min)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="min">The lower bound.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.clamp_min</c> with a Python number.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> ClampMin<T>(this Tensor<T> x, double min)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.ClampMin(T.CreateChecked(min));

    /// <summary>Clamps every element from above, the bound given as a <see cref="double"/> (rounded to <typeparamref name="T"/>): <c>out[i] = min(x[i], max)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>PyTorch: <c>torch.clamp_max</c> with a Python number.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor<T> ClampMax<T>(this Tensor<T> x, double max)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.ClampMax(T.CreateChecked(max));
}

/// <summary>Backward of <c>clamp(x, min, max)</c>.</summary>
file sealed class ClampBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T? _min;
    private readonly T? _max;

    public ClampBackward(Tensor<T> output, Tensor<T> x, T? min, T? max)
        : base(output, x)
    {
        (_min, _max) = (min, max);
        SaveForBackward(output: false, 0);
    }

    public override string OpName => "Clamp";

    // d clamp(x)/dx = 1 for min <= x <= max (PyTorch: where((x >= min) & (x <= max), g, 0)), else 0.
    public override void Backward()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> grad = GradFor(0);
        for (int i = 0; i < grad.Length; i++)
        {
            if (Inside(x[i]))
            {
                grad[i] += g[i];
            }
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [gradOutput.Mul(Derivatives.Constant(Inputs[0], v => Inside(v) ? T.One : T.Zero))];

    // False for NaN: every comparison with it is.
    private bool Inside(T v) => (_min is not { } lo || v >= lo) && (_max is not { } hi || v <= hi) && !T.IsNaN(v);
}
