using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        if (g.StrideW == 1)
        {
            ForwardUnitStride(g, x, channels, col);
            return;
        }

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
                        for (int ow = start; ow < end; ow++)
                        {
                            d[ow] = src[(ow * g.StrideW) + shiftW];
                        }
                    }
                }
            }
        }
    }

    // Forward for a horizontal stride of 1, where each row segment is one contiguous run: raw pointers, since the spans'
    // slicing and bounds checks cost as much as the runs themselves.
    private static unsafe void ForwardUnitStride<T>(in ConvGeometry g, ReadOnlySpan<T> x, int channels, Span<T> col)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, plane = g.InPlane, outPlane = outH * outW, height = g.Height, width = g.Width;
        int strideH = g.StrideH, padTop = g.PadTop, dilationH = g.DilationH;
        if (col.Length < channels * g.KernelH * g.KernelW * outPlane || x.Length < channels * plane)
        {
            throw new ArgumentException("Im2Col: buffers too small.");
        }

        fixed (T* px = x, pcol = col)
        {
            T* dst = pcol;
            for (int c = 0; c < channels; c++)
            {
                T* xc = px + ((nint)c * plane);
                for (int i = 0; i < g.KernelH; i++)
                {
                    for (int j = 0; j < g.KernelW; j++, dst += outPlane)
                    {
                        (int start, int end) = g.ValidColumns(j * g.DilationW);
                        int shiftW = (j * g.DilationW) - g.PadLeft;
                        for (int oh = 0; oh < outH; oh++)
                        {
                            T* d = dst + ((nint)oh * outW);
                            int ih = (oh * strideH) - padTop + (i * dilationH);
                            if ((uint)ih >= (uint)height || start >= end)
                            {
                                new Span<T>(d, outW).Clear();
                                continue;
                            }

                            for (int ow = 0; ow < start; ow++)
                            {
                                d[ow] = T.Zero;
                            }

                            for (int ow = end; ow < outW; ow++)
                            {
                                d[ow] = T.Zero;
                            }

                            Copy(xc + ((nint)ih * width) + start + shiftW, d + start, end - start);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds <paramref name="col"/> (<c>[channels kH kW, outH outW]</c>) back into <paramref name="x"/>: the adjoint of <see cref="Forward{T}"/>.</summary>
    public static unsafe void AddBack<T>(in ConvGeometry g, ReadOnlySpan<T> col, int channels, Span<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, plane = g.InPlane, outPlane = outH * outW, height = g.Height, width = g.Width;
        int strideH = g.StrideH, strideW = g.StrideW, padTop = g.PadTop, dilationH = g.DilationH;
        if (col.Length < channels * g.KernelH * g.KernelW * outPlane || x.Length < channels * plane)
        {
            throw new ArgumentException("Col2Im: buffers too small.");
        }

        fixed (T* px = x, pcol = col)
        {
            T* src = pcol;
            for (int c = 0; c < channels; c++)
            {
                T* xc = px + ((nint)c * plane);
                for (int i = 0; i < g.KernelH; i++)
                {
                    for (int j = 0; j < g.KernelW; j++, src += outPlane)
                    {
                        (int start, int end) = g.ValidColumns(j * g.DilationW);
                        int shiftW = (j * g.DilationW) - g.PadLeft;
                        if (start >= end)
                        {
                            continue;
                        }

                        for (int oh = 0; oh < outH; oh++)
                        {
                            int ih = (oh * strideH) - padTop + (i * dilationH);
                            if ((uint)ih >= (uint)height)
                            {
                                continue;
                            }

                            T* s = src + ((nint)oh * outW);
                            T* d = xc + ((nint)ih * width);
                            if (strideW == 1)
                            {
                                Add(d + start + shiftW, s + start, end - start);
                            }
                            else
                            {
                                for (int ow = start; ow < end; ow++)
                                {
                                    d[(ow * strideW) + shiftW] += s[ow];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // The row segments are short (24 elements for a 26-wide input and a 3x3 kernel, thousands of them per sample), so
    // these are straight-line vector moves without the per-call checks of Span.CopyTo and the Vectorized drivers, which
    // cost more than the 96 bytes they move (measured on 64 samples of 32 x 26 x 26, 3x3, at load average ~20: im2col
    // 8.0 -> 2.6 ms, col2im 10 -> 3.2 ms; idle afterwards 1.3 ms each, i.e. 20 us per sample).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Copy<T>(T* src, T* dst, int count)
        where T : unmanaged
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                Vector512.Store(Vector512.Load(src + i), dst + i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256.Store(Vector256.Load(src + i), dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] = src[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Add<T>(T* dst, T* src, int count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                Vector512.Store(Vector512.Load(dst + i) + Vector512.Load(src + i), dst + i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] += src[i];
        }
    }
}
