using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// Max, average and adaptive-average pooling over the <c>N C</c> planes of an <c>[N, C, H, W]</c> tensor. Max pooling
/// saves the argmax of each window (the flat index <c>ih W + iw</c> in its plane, as PyTorch's
/// <c>return_indices</c>), so backward is a scatter without reading the input again.
/// </summary>
internal static class Pool
{
    /// <summary>
    /// <c>y = max over the window</c> (NaN wins, as in PyTorch; padding counts as -inf); the argmax goes to
    /// <paramref name="indices"/> unless it is empty.
    /// </summary>
    public static void MaxForward<T>(in ConvGeometry g, ReadOnlySpan<T> x, Span<T> y, Span<int> indices)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int planes = g.Batch * g.Channels, outH = g.OutH, outW = g.OutW, outPlane = outH * outW;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<T> xp = x.Slice(plane * g.InPlane, g.InPlane);
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = (oh * g.StrideH) - g.PadTop;
                for (int ow = 0; ow < outW; ow++)
                {
                    int w0 = (ow * g.StrideW) - g.PadLeft;
                    T best = T.NegativeInfinity;
                    int arg = -1;
                    for (int i = 0; i < g.KernelH; i++)
                    {
                        int ih = h0 + (i * g.DilationH);
                        if ((uint)ih >= (uint)g.Height)
                        {
                            continue;
                        }

                        for (int j = 0; j < g.KernelW; j++)
                        {
                            int iw = w0 + (j * g.DilationW);
                            if ((uint)iw >= (uint)g.Width)
                            {
                                continue;
                            }

                            int at = (ih * g.Width) + iw;
                            T v = xp[at];
                            if (v > best || T.IsNaN(v) || arg < 0)
                            {
                                best = v;
                                arg = at;
                                if (T.IsNaN(v))
                                {
                                    goto Done;
                                }
                            }
                        }
                    }

                Done:
                    int outAt = (plane * outPlane) + (oh * outW) + ow;
                    y[outAt] = best;
                    if (!indices.IsEmpty)
                    {
                        indices[outAt] = arg;
                    }
                }
            }
        }
    }

    /// <summary><c>dx[argmax] += g</c> for every output position.</summary>
    public static void MaxBackward<T>(in ConvGeometry g, ReadOnlySpan<T> gradY, ReadOnlySpan<int> indices, Span<T> gradX)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int planes = g.Batch * g.Channels, outPlane = g.OutPlane;
        for (int plane = 0; plane < planes; plane++)
        {
            Span<T> dx = gradX.Slice(plane * g.InPlane, g.InPlane);
            for (int o = plane * outPlane, end = o + outPlane; o < end; o++)
            {
                dx[indices[o]] += gradY[o];
            }
        }
    }

    /// <summary>
    /// Average pooling: <c>y = sum over the window / divisor</c>, the divisor being <c>kH kW</c> when padding counts
    /// (PyTorch's default <c>count_include_pad=True</c>), else the number of input elements in the window.
    /// With <paramref name="adjoint"/> set it runs backwards instead, from the output gradient in <paramref name="source"/>
    /// into the input gradient in <paramref name="destination"/>: <c>dx[window] += g / divisor</c>.
    /// </summary>
    public static void Average<T>(in ConvGeometry g, bool countIncludePad, ReadOnlySpan<T> source, Span<T> destination, bool adjoint)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int planes = g.Batch * g.Channels, outH = g.OutH, outW = g.OutW, outPlane = outH * outW;
        for (int plane = 0; plane < planes; plane++)
        {
            int inBase = plane * g.InPlane;
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = (oh * g.StrideH) - g.PadTop;
                int hs = Math.Max(h0, 0), he = Math.Min(h0 + g.KernelH, g.Height);
                for (int ow = 0; ow < outW; ow++)
                {
                    int w0 = (ow * g.StrideW) - g.PadLeft;
                    int ws = Math.Max(w0, 0), we = Math.Min(w0 + g.KernelW, g.Width);
                    int count = countIncludePad
                        ? (Math.Min(h0 + g.KernelH, g.Height + g.PadBottom) - h0) * (Math.Min(w0 + g.KernelW, g.Width + g.PadRight) - w0)
                        : (he - hs) * (we - ws);
                    int outAt = (plane * outPlane) + (oh * outW) + ow;
                    WindowAverage(source, destination, adjoint, inBase, g.Width, hs, he, ws, we, count, outAt);
                }
            }
        }
    }

    /// <summary>
    /// Adaptive average pooling to <c>outH x outW</c>: window <c>i</c> spans <c>[floor(i H / outH), ceil((i + 1) H / outH))</c>
    /// (PyTorch's rule), likewise for the width. <paramref name="adjoint"/> as in <see cref="Average{T}"/>.
    /// </summary>
    public static void AdaptiveAverage<T>(int planes, int height, int width, int outH, int outW, ReadOnlySpan<T> source, Span<T> destination, bool adjoint)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int plane = 0; plane < planes; plane++)
        {
            int inBase = plane * height * width;
            for (int oh = 0; oh < outH; oh++)
            {
                int hs = oh * height / outH, he = (((oh + 1) * height) + outH - 1) / outH;
                for (int ow = 0; ow < outW; ow++)
                {
                    int ws = ow * width / outW, we = (((ow + 1) * width) + outW - 1) / outW;
                    int outAt = (((plane * outH) + oh) * outW) + ow;
                    WindowAverage(source, destination, adjoint, inBase, width, hs, he, ws, we, (he - hs) * (we - ws), outAt);
                }
            }
        }
    }

    private static void WindowAverage<T>(
        ReadOnlySpan<T> source, Span<T> destination, bool adjoint, int inBase, int width, int hs, int he, int ws, int we, int count, int outAt)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T divisor = T.CreateTruncating(count);
        if (adjoint)
        {
            T share = source[outAt] / divisor;
            for (int ih = hs; ih < he; ih++)
            {
                Span<T> row = destination.Slice(inBase + (ih * width), width);
                for (int iw = ws; iw < we; iw++)
                {
                    row[iw] += share;
                }
            }

            return;
        }

        T sum = T.Zero;
        for (int ih = hs; ih < he; ih++)
        {
            ReadOnlySpan<T> row = source.Slice(inBase + (ih * width), width);
            for (int iw = ws; iw < we; iw++)
            {
                sum += row[iw];
            }
        }

        destination[outAt] = sum / divisor;
    }
}
