using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniNet;

/// <summary>
/// Forward and backward of a grouped 2-D convolution as im2col + packed GEMM per sample and group. Layouts:
/// x <c>[N, C, H, W]</c>, w <c>[O, C/groups, kH, kW]</c> (group g owns output rows <c>[g O/groups, (g+1) O/groups)</c>,
/// i.e. a contiguous <c>[O/groups, K]</c> block with <c>K = C/groups kH kW</c>), y <c>[N, O, outH, outW]</c>.
/// </summary>
/// <remarks>
/// The one scratch matrix (<c>K x outH outW</c>) comes from <see cref="BufferPool{T}"/> and is reused for every sample,
/// so a call allocates nothing per sample. A 1x1, stride-1, unpadded convolution skips im2col: the input planes
/// already are the matrix. With <see cref="MiniNetSettings.MaxThreads"/> above 1 and a batch, the samples are split
/// into contiguous ranges, one per thread (each with its own scratch, and for the weight gradient its own partial sum,
/// added in a fixed order afterwards), rather than splitting every per-sample GEMM: one fork per call instead of one
/// per GEMM, and im2col/col2im run in parallel too. The parts run on the GEMM's persistent workers (ConvKernel.Parallel.cs).
/// </remarks>
internal static unsafe partial class ConvKernel
{
    public static void Forward<T>(in ConvGeometry g, int groups, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, int outChannels, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int k = g.Channels / groups * g.KernelH * g.KernelW, p = g.OutPlane, length = g.IsPointwise ? 0 : k * p;
        int workers = Workers(g, (long)outChannels * k * p);
        if (workers == 1)
        {
            T[] single = BufferPool<T>.Rent(length);
            ForwardRange(g, groups, x, w, bias, outChannels, y, 0, g.Batch, single, MiniNetSettings.MaxThreads);
            BufferPool<T>.Return(single);
            return;
        }

        Job<T> job = Job<T>.Get(g, groups, outChannels, workers, length, gradWLength: 0);
        fixed (T* px = x, pw = w, pb = bias, py = y)
        {
            job.SetForward(px, x.Length, pw, w.Length, pb, bias.Length, py, y.Length);
            job.Run();
        }

        job.ReturnScratch();
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
        int k = g.Channels / groups * g.KernelH * g.KernelW, p = g.OutPlane, length = g.IsPointwise ? 0 : k * p;
        int products = (gradX.IsEmpty ? 0 : 1) + (gradW.IsEmpty ? 0 : 1);
        int workers = Workers(g, products * (long)outChannels * k * p);
        if (workers == 1)
        {
            T[] single = BufferPool<T>.Rent(length);
            BackwardRange(g, groups, outChannels, x, w, gradY, gradX, gradW, accumulateW, 0, g.Batch, single, MiniNetSettings.MaxThreads);
            BufferPool<T>.Return(single);
            return;
        }

        // Parts after the first sum their weight gradients apart; those are added into gradW in part order afterwards
        // (sequentially: adding 64 x 288 floats, the MNIST CNN's second conv, measured 0.8 us in cache at load 11, against
        // ~10 ms for the products of a B=64 backward, so a parallel reduction would not pay).
        Job<T> job = Job<T>.Get(g, groups, outChannels, workers, length, gradW.Length);
        fixed (T* px = x, pw = w, pg = gradY, pgx = gradX, pgw = gradW)
        {
            job.SetBackward(px, x.Length, pw, w.Length, pg, gradY.Length, pgx, gradX.Length, pgw, gradW.Length, accumulateW);
            job.Run();
        }

        for (int part = 1; part < workers && !gradW.IsEmpty; part++)
        {
            if (Job<T>.Range(g.Batch, workers, part) is var (start, end) && start < end)
            {
                InPlace.Add(gradW, job.PartialW(part));
            }
        }

        job.ReturnScratch();
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
                gradB[o] += TensorPrimitives.Sum(gradY.Slice(((n * outChannels) + o) * plane, plane));
            }
        }
    }

    /// <summary>Samples <c>[start, end)</c> of the forward, GEMMs capped at <paramref name="maxThreads"/>.</summary>
    internal static void ForwardRange<T>(
        in ConvGeometry g, int groups, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, int outChannels, Span<T> y,
        int start, int end, T[] scratch, int maxThreads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int cg = g.Channels / groups, og = outChannels / groups, k = cg * g.KernelH * g.KernelW, p = g.OutPlane;
        for (int n = start; n < end; n++)
        {
            if (!bias.IsEmpty)
            {
                for (int o = 0; o < outChannels; o++)
                {
                    y.Slice(((n * outChannels) + o) * p, p).Fill(bias[o]);
                }
            }

            for (int gi = 0; gi < groups; gi++)
            {
                ReadOnlySpan<T> col = x.Slice(((n * g.Channels) + (gi * cg)) * g.InPlane, cg * g.InPlane);
                if (!g.IsPointwise)
                {
                    Im2Col.Forward(g, col, cg, scratch);
                    col = scratch.AsSpan(0, k * p);
                }

                Span<T> yg = y.Slice(((n * outChannels) + (gi * og)) * p, og * p);
                Gemm.Multiply(w.Slice(gi * og * k, og * k), false, col, false, yg, og, p, k, !bias.IsEmpty, GemmPath.Auto, maxThreads);
            }
        }
    }

    /// <summary>Samples <c>[start, end)</c> of the backward; the weight gradient of the range is written (first sample) or added.</summary>
    internal static void BackwardRange<T>(
        in ConvGeometry g, int groups, int outChannels, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> gradY,
        Span<T> gradX, Span<T> gradW, bool accumulateW, int start, int end, T[] scratch, int maxThreads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int cg = g.Channels / groups, og = outChannels / groups, k = cg * g.KernelH * g.KernelW, p = g.OutPlane;
        bool pointwise = g.IsPointwise;
        for (int n = start; n < end; n++)
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
                    Gemm.Multiply(gy, false, col, true, gradW.Slice(gi * og * k, og * k), og, k, p, accumulateW || n > start, GemmPath.Auto, maxThreads);
                }

                if (!gradX.IsEmpty)
                {
                    ReadOnlySpan<T> wg = w.Slice(gi * og * k, og * k);
                    // col(dX) [k, p] = W_g^T [k, og] G [og, p]
                    if (pointwise)
                    {
                        Gemm.Multiply(wg, true, gy, false, gradX.Slice(xOffset, xLength), k, p, og, true, GemmPath.Auto, maxThreads);
                    }
                    else
                    {
                        Span<T> dcol = scratch.AsSpan(0, k * p);
                        Gemm.Multiply(wg, true, gy, false, dcol, k, p, og, false, GemmPath.Auto, maxThreads);
                        Im2Col.AddBack(g, dcol, cg, gradX.Slice(xOffset, xLength));
                    }
                }
            }
        }
    }

    // One part per thread once the whole call has two GEMM grains of work (the split GEMM's rule) and two samples.
    private static int Workers(in ConvGeometry g, long macsPerSample)
    {
        int max = MiniNetSettings.MaxThreads;
        return max <= 1 || g.Batch < 2 ? 1 : (int)Math.Clamp(macsPerSample * g.Batch / Gemm.ParallelGrain, 1, Math.Min(max, g.Batch));
    }
}
