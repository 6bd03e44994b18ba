using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// Forward and backward of a grouped 2-D convolution as im2col + packed GEMM per sample and group. Layouts:
/// x <c>[N, C, H, W]</c>, w <c>[O, C/groups, kH, kW]</c> (group g owns output rows <c>[g O/groups, (g+1) O/groups)</c>,
/// i.e. a contiguous <c>[O/groups, K]</c> block with <c>K = C/groups kH kW</c>), y <c>[N, O, outH, outW]</c>.
/// </summary>
/// <remarks>
/// The one scratch matrix (<c>K x outH outW</c>) comes from <see cref="BufferPool{T}"/> and is reused for every sample,
/// so a call allocates nothing per sample. A 1x1, stride-1, unpadded convolution skips im2col: the input planes
/// already are the matrix.
/// </remarks>
internal static class ConvKernel
{
    public static void Forward<T>(in ConvGeometry g, int groups, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, int outChannels, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int cg = g.Channels / groups, og = outChannels / groups, k = cg * g.KernelH * g.KernelW, p = g.OutPlane;
        bool pointwise = g.IsPointwise;
        T[] scratch = pointwise ? Array.Empty<T>() : BufferPool<T>.Rent(k * p);
        try
        {
            if (!bias.IsEmpty)
            {
                for (int n = 0; n < g.Batch; n++)
                {
                    for (int o = 0; o < outChannels; o++)
                    {
                        y.Slice(((n * outChannels) + o) * p, p).Fill(bias[o]);
                    }
                }
            }

            for (int n = 0; n < g.Batch; n++)
            {
                for (int gi = 0; gi < groups; gi++)
                {
                    ReadOnlySpan<T> xg = x.Slice(((n * g.Channels) + (gi * cg)) * g.InPlane, cg * g.InPlane);
                    ReadOnlySpan<T> col = xg;
                    if (!pointwise)
                    {
                        Im2Col.Forward(g, xg, cg, scratch);
                        col = scratch.AsSpan(0, k * p);
                    }

                    Span<T> yg = y.Slice(((n * outChannels) + (gi * og)) * p, og * p);
                    Gemm.Multiply(w.Slice(gi * og * k, og * k), false, col, false, yg, og, p, k, accumulate: !bias.IsEmpty);
                }
            }
        }
        finally
        {
            BufferPool<T>.Return(scratch);
        }
    }

    /// <summary>
    /// Adds the input gradient into <paramref name="gradX"/> (skipped when empty; reads only <paramref name="w"/>) and writes
    /// or adds the weight gradient into <paramref name="gradW"/> (skipped when empty; reads only <paramref name="x"/>;
    /// overwritten when <paramref name="accumulateW"/> is false).
    /// </summary>
    public static void Backward<T>(
        in ConvGeometry g, int groups, int outChannels, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> gradY,
        Span<T> gradX, Span<T> gradW, bool accumulateW)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int cg = g.Channels / groups, og = outChannels / groups, k = cg * g.KernelH * g.KernelW, p = g.OutPlane;
        bool pointwise = g.IsPointwise;
        T[] scratch = pointwise ? Array.Empty<T>() : BufferPool<T>.Rent(k * p);
        try
        {
            for (int n = 0; n < g.Batch; n++)
            {
                for (int gi = 0; gi < groups; gi++)
                {
                    int xOffset = ((n * g.Channels) + (gi * cg)) * g.InPlane, xLength = cg * g.InPlane;
                    ReadOnlySpan<T> gy = gradY.Slice(((n * outChannels) + (gi * og)) * p, og * p);
                    if (!gradW.IsEmpty)
                    {
                        ReadOnlySpan<T> col = x.Slice(xOffset, xLength);
                        if (!pointwise)
                        {
                            Im2Col.Forward(g, col, cg, scratch);
                            col = scratch.AsSpan(0, k * p);
                        }

                        // dW_g [og, k] (+)= G [og, p] col^T [p, k]
                        Gemm.Multiply(gy, false, col, true, gradW.Slice(gi * og * k, og * k), og, k, p, accumulate: accumulateW || n > 0);
                    }

                    if (!gradX.IsEmpty)
                    {
                        ReadOnlySpan<T> wg = w.Slice(gi * og * k, og * k);
                        // col(dX) [k, p] = W_g^T [k, og] G [og, p]
                        if (pointwise)
                        {
                            Gemm.Multiply(wg, true, gy, false, gradX.Slice(xOffset, xLength), k, p, og, accumulate: true);
                        }
                        else
                        {
                            Span<T> dcol = scratch.AsSpan(0, k * p);
                            Gemm.Multiply(wg, true, gy, false, dcol, k, p, og, accumulate: false);
                            Im2Col.AddBack(g, dcol, cg, gradX.Slice(xOffset, xLength));
                        }
                    }
                }
            }
        }
        finally
        {
            BufferPool<T>.Return(scratch);
        }
    }

    /// <summary><c>db[o] (+)= sum_{n, p} G[n, o, p]</c>.</summary>
    public static void BiasGradient<T>(ReadOnlySpan<T> gradY, int batch, int outChannels, int plane, Span<T> gradB, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!accumulate)
        {
            gradB.Clear();
        }

        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outChannels; o++)
            {
                gradB[o] += Sum(gradY.Slice(((n * outChannels) + o) * plane, plane));
            }
        }
    }

    private static T Sum<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        foreach (T v in values)
        {
            sum += v;
        }

        return sum;
    }
}
