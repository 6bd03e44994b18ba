namespace MiniNet;

/// <summary>A named padding for <see cref="Ops.Conv2d{T}(Tensor{T}, Tensor{T}, Tensor{T}?, ConvPadding, int, int, int)"/>.</summary>
/// <remarks>PyTorch: the strings <c>padding='valid'</c> and <c>padding='same'</c> of <c>torch.nn.functional.conv2d</c>.</remarks>
public enum ConvPadding
{
    /// <summary>No padding (PyTorch: <c>'valid'</c>, the same as <c>padding=0</c>).</summary>
    Valid,

    /// <summary>
    /// Pads so the output has the input's height and width (stride 1 only): <c>dilation (kernel - 1)</c> zeros per
    /// axis, half before and the rest (one more for an even kernel) after, as PyTorch's <c>'same'</c> does.
    /// </summary>
    Same,
}
