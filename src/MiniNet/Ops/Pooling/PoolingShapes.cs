using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>The window sweep of a pooling op over <c>[N, C, H, W]</c> or <c>[C, H, W]</c>, with its checks.</summary>
    internal static ConvGeometry PoolGeometry<T>(string op, Tensor<T> x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
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

        if (padding.H < 0 || padding.W < 0 || padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(padding),
                $"{op}: padding ({padding.H}, {padding.W}) must be between 0 and half the kernel size ({kernel.H}, {kernel.W}), as in PyTorch.");
        }

        int batch = x.Rank == 4 ? x.Shape[0] : 1, offset = x.Rank - 3;
        var g = new ConvGeometry(batch, x.Shape[offset], x.Shape[offset + 1], x.Shape[offset + 2], kernel.H, kernel.W, stride.H, stride.W,
            padding.H, padding.W, padding.H, padding.W, 1, 1);
        g.ThrowIfEmpty(op);
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
}
