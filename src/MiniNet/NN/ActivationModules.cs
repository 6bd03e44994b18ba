using System.Numerics;

namespace MiniNet.NN;

/// <summary>The logistic function as a layer: <c>Forward(x) = 1 / (1 + exp(-x))</c> elementwise; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Sigmoid</c>. Wraps <see cref="Ops.Sigmoid{T}"/>. For a sigmoid output trained with
/// cross-entropy, leave it out of the network and use <see cref="Ops.BinaryCrossEntropyWithLogits{T}"/> on the logits.
/// </remarks>
public class Sigmoid<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Applies the logistic function elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape with values in <c>[0, 1]</c>.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Sigmoid();
}

/// <summary>A float <see cref="Sigmoid{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.Sigmoid</c>.</remarks>
public sealed class Sigmoid : Sigmoid<float>
{
}
