using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// im2col and its adjoint col2im for <see cref="Ops.Conv2d{T}(Tensor{T}, Tensor{T}, Tensor{T}?, int, int, int, int)"/>:
/// the patches of <c>channels</c> input planes laid out as a <c>[channels kH kW, outH outW]</c> matrix, so that a
/// convolution is one GEMM with the weight <c>[out, channels kH kW]</c>.
/// </summary>
/// <remarks>
/// Row <c>(c kH + i) kW + j</c>, column <c>oh outW + ow</c> holds <c>x[c, oh sH - padTop + i dH, ow sW - padLeft + j dW]</c>,
/// or 0 where that falls in the padding. Each row segment (one output row) is split once into its padded ends and
/// its valid middle, which with stride 1 is one contiguous copy (or add, for col2im).
/// </remarks>
internal static class Im2Col
{
    /// <summary>Fills <paramref name="col"/> (<c>[channels kH kW, outH outW]</c>) from <paramref name="x"/> (<c>channels</c> planes).</summary>
    public static void Forward<T>(in ConvGeometry g, ReadOnlySpan<T> x, int channels, Span<T> col)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, plane = g.InPlane, outPlane = outH * outW, row = 0;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<T> xc = x.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelH; i++)
            {
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    Span<T> dst = col.Slice(row * outPlane, outPlane);
                    (int start, int end) = g.ValidColumns(j * g.DilationW);
                    int shiftW = (j * g.DilationW) - g.PadLeft;
                    for (int oh = 0; oh < outH; oh++)
                    {
                        Span<T> d = dst.Slice(oh * outW, outW);
                        int ih = (oh * g.StrideH) - g.PadTop + (i * g.DilationH);
                        if ((uint)ih >= (uint)g.Height || start >= end)
                        {
                            d.Clear();
                            continue;
                        }

                        d.Slice(0, start).Clear();
                        d.Slice(end).Clear();
                        ReadOnlySpan<T> src = xc.Slice(ih * g.Width, g.Width);
                        if (g.StrideW == 1)
                        {
                            src.Slice(start + shiftW, end - start).CopyTo(d.Slice(start, end - start));
                        }
                        else
                        {
                            for (int ow = start; ow < end; ow++)
                            {
                                d[ow] = src[(ow * g.StrideW) + shiftW];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds <paramref name="col"/> (<c>[channels kH kW, outH outW]</c>) back into <paramref name="x"/>: the adjoint of <see cref="Forward{T}"/>.</summary>
    public static void AddBack<T>(in ConvGeometry g, ReadOnlySpan<T> col, int channels, Span<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, plane = g.InPlane, outPlane = outH * outW, row = 0;
        for (int c = 0; c < channels; c++)
        {
            Span<T> xc = x.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelH; i++)
            {
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    ReadOnlySpan<T> src = col.Slice(row * outPlane, outPlane);
                    (int start, int end) = g.ValidColumns(j * g.DilationW);
                    int shiftW = (j * g.DilationW) - g.PadLeft;
                    if (start >= end)
                    {
                        continue;
                    }

                    for (int oh = 0; oh < outH; oh++)
                    {
                        int ih = (oh * g.StrideH) - g.PadTop + (i * g.DilationH);
                        if ((uint)ih >= (uint)g.Height)
                        {
                            continue;
                        }

                        ReadOnlySpan<T> s = src.Slice(oh * outW, outW);
                        Span<T> d = xc.Slice(ih * g.Width, g.Width);
                        if (g.StrideW == 1)
                        {
                            InPlace.Add(d.Slice(start + shiftW, end - start), s.Slice(start, end - start));
                        }
                        else
                        {
                            for (int ow = start; ow < end; ow++)
                            {
                                d[(ow * g.StrideW) + shiftW] += s[ow];
                            }
                        }
                    }
                }
            }
        }
    }
}
