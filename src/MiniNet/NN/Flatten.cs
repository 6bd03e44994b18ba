using System.Numerics;

namespace MiniNet.NN;

/// <summary>Merges dimensions <see cref="StartDim"/> through <see cref="EndDim"/> into one; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.Flatten(start_dim=1, end_dim=-1)</c>: <c>[N, C, H, W] -> [N, C H W]</c>, before a <see cref="Linear{T}"/>. Wraps <see cref="Ops.Flatten{T}"/>.</remarks>
public class Flatten<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="startDim">The first merged dimension (negative counts from the end); 1 keeps the batch.</param>
    /// <param name="endDim">The last merged dimension, inclusive; -1 is the last.</param>
    public Flatten(int startDim = 1, int endDim = -1) => (StartDim, EndDim) = (startDim, endDim);

    /// <summary>The first merged dimension (PyTorch: <c>start_dim</c>).</summary>
    public int StartDim { get; }

    /// <summary>The last merged dimension (PyTorch: <c>end_dim</c>).</summary>
    public int EndDim { get; }

    /// <summary>Flattens the input.</summary>
    /// <param name="input">Any tensor of rank above <see cref="StartDim"/>.</param>
    /// <returns>The flattened tensor.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Flatten(StartDim, EndDim);
}

/// <summary>A float <see cref="Flatten{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.nn.Flatten</c>.</remarks>
public sealed class Flatten : Flatten<float>
{
    /// <inheritdoc cref="Flatten{T}(int, int)"/>
    public Flatten(int startDim = 1, int endDim = -1)
        : base(startDim, endDim)
    {
    }
}
