using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// The window sweep of a pooling op over <c>[N, C, H, W]</c> or <c>[C, H, W]</c>, with its checks. With
    /// <paramref name="ceilMode"/> the output size is rounded up, PyTorch's <c>ceil_mode=True</c>, but the last window
    /// must start inside the input or the left/top padding (else it is dropped); the extra rows and columns that the
    /// rounding up adds go into <see cref="ConvGeometry.PadBottom"/>/<see cref="ConvGeometry.PadRight"/>, while
    /// <see cref="ConvGeometry.PadTop"/>/<see cref="ConvGeometry.PadLeft"/> stay the real (symmetric) padding.
    /// </summary>
    internal static ConvGeometry PoolGeometry<T>(
        string op, Tensor<T> x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank is not (3 or 4))
        {
            throw new ArgumentException($"{op} needs x [N, C, H, W] or [C, H, W]; got {x.Shape}.", nameof(x));
        }

        if (kernel.H < 1 || kernel.W < 1 || stride.H < 1 || stride.W < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), $"{op}: kernel size ({kernel.H}, {kernel.W}) and stride ({stride.H}, {stride.W}) must be at least 1.");
        }

        if (dilation.H < 1 || dilation.W < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dilation), $"{op}: dilation ({dilation.H}, {dilation.W}) must be at least 1.");
        }

        if (padding.H < 0 || padding.W < 0 || padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(padding),
                $"{op}: padding ({padding.H}, {padding.W}) must be between 0 and half the kernel size ({kernel.H}, {kernel.W}), as in PyTorch.");
        }

        int batch = x.Rank == 4 ? x.Shape[0] : 1, offset = x.Rank - 3;
        int channels = x.Shape[offset], height = x.Shape[offset + 1], width = x.Shape[offset + 2];
        int outH = OutputSize(height, kernel.H, stride.H, padding.H, dilation.H, ceilMode);
        int outW = OutputSize(width, kernel.W, stride.W, padding.W, dilation.W, ceilMode);
        if (outH < 1 || outW < 1)
        {
            throw new ArgumentException(
                $"{op}: the input {height}x{width} with padding ({padding.H}, {padding.W}) is too small for the (dilated) kernel " +
                $"{(dilation.H * (kernel.H - 1)) + 1}x{(dilation.W * (kernel.W - 1)) + 1} with stride ({stride.H}, {stride.W}){(ceilMode ? " in ceil mode" : string.Empty)}: " +
                $"the output would be {outH}x{outW}.", nameof(x));
        }

        // The bottom/right padding that makes ConvGeometry's floor formula give that size; in floor mode it is the padding itself.
        int padBottom = Math.Max(padding.H, ((outH - 1) * stride.H) + (dilation.H * (kernel.H - 1)) + 1 - height - padding.H);
        int padRight = Math.Max(padding.W, ((outW - 1) * stride.W) + (dilation.W * (kernel.W - 1)) + 1 - width - padding.W);
        var g = new ConvGeometry(batch, channels, height, width, kernel.H, kernel.W, stride.H, stride.W,
            padding.H, padding.W, padBottom, padRight, dilation.H, dilation.W);
        RequireInputInEveryWindow(op, "height", height, g.OutH, kernel.H, stride.H, padding.H, dilation.H);
        RequireInputInEveryWindow(op, "width", width, g.OutW, kernel.W, stride.W, padding.W, dilation.W);
        return g;
    }

    /// <summary>The input's shape with its last two sizes replaced.</summary>
    internal static Shape PooledShape<T>(Tensor<T> x, int outH, int outW)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int[] dims = x.Shape.ToArray();
        dims[^2] = outH;
        dims[^1] = outW;
        return new Shape(dims);
    }

    /// <summary>
    /// PyTorch's pooling output size: <c>floor((n + 2p - d (k - 1) - 1) / s) + 1</c>, or with <paramref name="ceilMode"/>
    /// the same rounded up, less one if that last window would start at or past <c>n + p</c> (in the right padding).
    /// </summary>
    private static int OutputSize(int size, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        long numerator = (long)size + (2 * padding) - ((long)dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0);
        long output = (numerator >= 0 ? numerator / stride : -((-numerator + stride - 1) / stride)) + 1;
        if (ceilMode && output > 0 && (output - 1) * stride >= (long)size + padding)
        {
            output--;
        }

        return (int)Math.Clamp(output, int.MinValue, int.MaxValue);
    }

    /// <summary>
    /// Throws when some window's taps <c>o s - p + j d</c> all fall in the padding (possible only with dilation):
    /// PyTorch then returns -inf with an index outside the input, which MiniNet refuses rather than return.
    /// </summary>
    private static void RequireInputInEveryWindow(string op, string dimension, int size, int outputs, int kernel, int stride, int padding, int dilation)
    {
        if (dilation == 1)
        {
            return; // padding <= kernel / 2 and, in ceil mode, a last window starting before size + padding: never empty
        }

        for (int o = 0; o < outputs; o++)
        {
            int start = (o * stride) - padding;
            int first = start >= 0 ? start : start + ((-start + dilation - 1) / dilation * dilation);
            if (first >= size || first > start + (dilation * (kernel - 1)))
            {
                throw new ArgumentException(
                    $"{op}: window {o} along the {dimension} (taps {start}, {start + dilation}, ... {start + (dilation * (kernel - 1))} with kernel {kernel}, " +
                    $"dilation {dilation}, padding {padding}) holds no element of the input of size {size}; reduce the dilation or the padding.");
            }
        }
    }
}
