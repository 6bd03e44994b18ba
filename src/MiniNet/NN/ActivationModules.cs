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

/// <summary>The hyperbolic tangent as a layer: <c>Forward(x) = tanh(x)</c> elementwise; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.Tanh</c>. Wraps <see cref="Ops.Tanh{T}"/>.</remarks>
public class Tanh<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Applies tanh elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape with values in <c>[-1, 1]</c>.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Tanh();
}

/// <summary>A float <see cref="Tanh{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.Tanh</c>.</remarks>
public sealed class Tanh : Tanh<float>
{
}

/// <summary>The rectifier as a layer: <c>Forward(x) = max(x, 0)</c> elementwise; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.ReLU</c>. Wraps <see cref="Ops.Relu{T}"/>.</remarks>
public class Relu<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Applies <c>max(x, 0)</c> elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the same shape.</returns>
    public override Tensor<T> Forward(Tensor<T> input) => input.Relu();
}

/// <summary>A float <see cref="Relu{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.ReLU</c>.</remarks>
public sealed class Relu : Relu<float>
{
}

/// <summary>Softmax over one axis as a layer: <c>Forward(x) = exp(x) / sum(exp(x), axis)</c>; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.nn.Softmax(dim)</c>. Wraps <see cref="Ops.Softmax{T}"/>. To train a classifier, leave it out and
/// give the logits to <see cref="Ops.CrossEntropy{T}(Tensor{T}, System.ReadOnlySpan{int}, Reduction)"/>.
/// </remarks>
public class Softmax<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="axis">The axis to normalise over; <c>-1</c> (the default) is the last, the class axis of <c>[N, classes]</c>.</param>
    public Softmax(int axis = -1) => Axis = axis;

    /// <summary>The axis normalised over.</summary>
    public int Axis { get; }

    /// <summary>Applies softmax along <see cref="Axis"/>.</summary>
    /// <param name="input">Any tensor with that axis.</param>
    /// <returns>A tensor of the same shape whose slices along the axis sum to 1.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">The axis is out of range for the input.</exception>
    public override Tensor<T> Forward(Tensor<T> input) => input.Softmax(Axis);
}

/// <summary>A float <see cref="Softmax{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.Softmax(dim)</c>.</remarks>
public sealed class Softmax : Softmax<float>
{
    /// <inheritdoc cref="Softmax{T}(int)"/>
    public Softmax(int axis = -1)
        : base(axis)
    {
    }
}

/// <summary>Log-softmax over one axis as a layer: <c>Forward(x) = x - log(sum(exp(x), axis))</c>; no parameters.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.nn.LogSoftmax(dim)</c>. Wraps <see cref="Ops.LogSoftmax{T}"/>.</remarks>
public class LogSoftmax<T> : Module<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="axis">The axis to normalise over; <c>-1</c> (the default) is the last.</param>
    public LogSoftmax(int axis = -1) => Axis = axis;

    /// <summary>The axis normalised over.</summary>
    public int Axis { get; }

    /// <summary>Applies log-softmax along <see cref="Axis"/>.</summary>
    /// <param name="input">Any tensor with that axis.</param>
    /// <returns>A tensor of the same shape.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">The axis is out of range for the input.</exception>
    public override Tensor<T> Forward(Tensor<T> input) => input.LogSoftmax(Axis);
}

/// <summary>A float <see cref="LogSoftmax{T}"/> layer.</summary>
/// <remarks>PyTorch: <c>torch.nn.LogSoftmax(dim)</c>.</remarks>
public sealed class LogSoftmax : LogSoftmax<float>
{
    /// <inheritdoc cref="LogSoftmax{T}(int)"/>
    public LogSoftmax(int axis = -1)
        : base(axis)
    {
    }
}
