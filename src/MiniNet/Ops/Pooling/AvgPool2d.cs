using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// 2-D average pooling: <c>y[n, c, i, j] = sum_{p, q} x[n, c, i s - pad + p, j s - pad + q] / divisor</c> with zeros
    /// in the padding; the divisor is <c>kernelSize^2</c> (the window clipped to the padded input), or with
    /// <paramref name="countIncludePad"/> false the number of input elements in the window, or
    /// <paramref name="divisorOverride"/> when given.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The window size, at least 1.</param>
    /// <param name="stride">The window step; null (the default) for <paramref name="kernelSize"/>.</param>
    /// <param name="padding">Zero padding on every side, at most half the kernel size.</param>
    /// <param name="countIncludePad">Whether the padding counts in the divisor (PyTorch's default, true).</param>
    /// <param name="ceilMode">
    /// Round the output size up instead of down; a window that runs past the padded input is clipped to it (and its
    /// divisor with it), and, as in PyTorch, a window that would start in the bottom/right padding is dropped.
    /// </param>
    /// <param name="divisorOverride">A fixed divisor for every window instead (at least 1), or null.</param>
    /// <returns>
    /// The output, <c>[N, C, outH, outW]</c> with <c>outH = (H + 2 pad - k) / s + 1</c> rounded down (or up with
    /// <paramref name="ceilMode"/>).
    /// </returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad,
    /// divisor_override)</c> (note the order: here <paramref name="ceilMode"/> follows <paramref name="countIncludePad"/>).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">The rank is not 3 or 4, or the padded input is smaller than the window.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the divisor below 1, or a padding above half the kernel.</exception>
    public static Tensor<T> AvgPool2d<T>(
        this Tensor<T> x, int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true, bool ceilMode = false, int? divisorOverride = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AvgPool2d(x, (kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), countIncludePad, ceilMode, divisorOverride);

    /// <summary>2-D average pooling with separate sizes for height and width; see <see cref="AvgPool2d{T}(Tensor{T}, int, int?, int, bool, bool, int?)"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The window (height, width).</param>
    /// <param name="stride">The steps (height, width); null for the kernel size.</param>
    /// <param name="padding">The zero padding (height, width).</param>
    /// <param name="countIncludePad">Whether the padding counts in the divisor.</param>
    /// <param name="ceilMode">Round the output size up (PyTorch's <c>ceil_mode</c>).</param>
    /// <param name="divisorOverride">A fixed divisor for every window, or null.</param>
    /// <returns>The output, <c>[N, C, outH, outW]</c>.</returns>
    /// <remarks>PyTorch: <c>avg_pool2d</c> with tuple arguments.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">The rank is not 3 or 4, or the padded input is smaller than the window.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the divisor below 1, or a padding above half the kernel.</exception>
    public static Tensor<T> AvgPool2d<T>(
        this Tensor<T> x, (int Height, int Width) kernelSize, (int Height, int Width)? stride, (int Height, int Width) padding,
        bool countIncludePad = true, bool ceilMode = false, int? divisorOverride = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (divisorOverride is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(divisorOverride), divisorOverride, "AvgPool2d: divisorOverride must be at least 1 (or null).");
        }

        ConvGeometry g = PoolGeometry("AvgPool2d", x, kernelSize, stride ?? kernelSize, padding, (1, 1), ceilMode);
        var output = Tensor<T>.Uninitialized(PooledShape(x, g.OutH, g.OutW));
        Pool.Average(g, countIncludePad, divisorOverride, x.KernelReadSpan, output.KernelWriteSpan, adjoint: false);
        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new AvgPool2dBackward<T>(output, g, countIncludePad, divisorOverride, x));
        }

        return output;
    }
}

/// <summary>Backward of <see cref="Ops.AvgPool2d{T}(Tensor{T}, int, int?, int, bool, bool, int?)"/>.</summary>
file sealed class AvgPool2dBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly bool _countIncludePad;
    private readonly int? _divisorOverride;

    public AvgPool2dBackward(Tensor<T> output, ConvGeometry g, bool countIncludePad, int? divisorOverride, Tensor<T> x)
        : base(output, x)
    {
        (_g, _countIncludePad, _divisorOverride) = (g, countIncludePad, divisorOverride);
        SaveForBackward(false);
    }

    public override string OpName => "AvgPool2d";

    // y = sum(window) / divisor  =>  dx[window] += g / divisor.
    public override void Backward() => Pool.Average(_g, _countIncludePad, _divisorOverride, GradOutput, GradFor(0), adjoint: true);

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        [Ops.ApplyLinearMap(gradOutput, new AvgPoolMap<T>(_g, _countIncludePad, _divisorOverride, Inputs[0].Shape, Output.Shape), adjoint: true)];
}

/// <summary>Average pooling as a linear map; its adjoint spreads each value over its window.</summary>
file sealed class AvgPoolMap<T>(ConvGeometry g, bool countIncludePad, int? divisorOverride, Shape inputShape, Shape outputShape)
    : LinearMap<T>("AvgPool2d", inputShape, outputShape)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public override void Apply(ReadOnlySpan<T> x, Span<T> y) => Pool.Average(g, countIncludePad, divisorOverride, x, y, adjoint: false);

    public override void AddAdjoint(ReadOnlySpan<T> y, Span<T> x) => Pool.Average(g, countIncludePad, divisorOverride, y, x, adjoint: true);
}
