using System;

namespace MiniNet;

/// <summary>
/// The sizes of one 2-D convolution or pooling window sweep over <c>[N, C, H, W]</c>: kernel, stride, dilation and
/// the padding on each side (top/left may differ from bottom/right, as for PyTorch's <c>padding='same'</c> with an
/// even kernel). <c>outH = (H + padTop + padBottom - dH (kH - 1) - 1) / sH + 1</c>, likewise for the width.
/// </summary>
internal readonly record struct ConvGeometry(
    int Batch, int Channels, int Height, int Width,
    int KernelH, int KernelW, int StrideH, int StrideW,
    int PadTop, int PadLeft, int PadBottom, int PadRight, int DilationH, int DilationW)
{
    /// <summary>The output height.</summary>
    public int OutH => ((Height + PadTop + PadBottom - (DilationH * (KernelH - 1)) - 1) / StrideH) + 1;

    /// <summary>The output width.</summary>
    public int OutW => ((Width + PadLeft + PadRight - (DilationW * (KernelW - 1)) - 1) / StrideW) + 1;

    /// <summary>Elements of one input plane.</summary>
    public int InPlane => Height * Width;

    /// <summary>Elements of one output plane.</summary>
    public int OutPlane => OutH * OutW;

    /// <summary>True when the window sweep reads the input as it is: 1x1 kernel, stride 1, no padding.</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 &&
        PadTop == 0 && PadLeft == 0 && PadBottom == 0 && PadRight == 0;

    /// <summary>Throws when the padded input is smaller than the dilated kernel (no output position).</summary>
    public void ThrowIfEmpty(string op)
    {
        int spanH = (DilationH * (KernelH - 1)) + 1, spanW = (DilationW * (KernelW - 1)) + 1;
        if (Height + PadTop + PadBottom < spanH || Width + PadLeft + PadRight < spanW)
        {
            throw new ArgumentException(
                $"{op}: the padded input {Height + PadTop + PadBottom}x{Width + PadLeft + PadRight} (input {Height}x{Width}) is smaller " +
                $"than the (dilated) kernel {spanH}x{spanW}, so there is no output position.");
        }
    }

    /// <summary>The first and one-past-last output column whose input column <c>ow sW - padLeft + offset</c> is inside <c>[0, W)</c>.</summary>
    public (int Start, int End) ValidColumns(int offset)
    {
        // iw = ow*sW + shift must satisfy 0 <= iw < W.
        int shift = offset - PadLeft;
        int start = shift >= 0 ? 0 : (-shift + StrideW - 1) / StrideW;
        int end = Width - shift <= 0 ? 0 : Math.Min(OutW, ((Width - shift - 1) / StrideW) + 1);
        return (Math.Min(start, end), end);
    }
}
