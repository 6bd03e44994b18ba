using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Mean squared error (the quadratic cost): per element <c>l = (x - y)^2</c>, then reduced.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="input">The prediction x (Nielsen's activation a).</param>
    /// <param name="target">The target y, same shape. It gets a gradient too when it requires one.</param>
    /// <param name="reduction">
    /// <see cref="Reduction.Mean"/> (default) divides the sum by the element count, as PyTorch's
    /// <c>F.mse_loss(x, y)</c>; <see cref="Reduction.BatchMean"/> sums over the outputs and divides by the batch size n
    /// (the first dimension); <see cref="Reduction.Sum"/> and <see cref="Reduction.None"/> as in PyTorch.
    /// </param>
    /// <returns>The loss: a scalar, or per element in the input's shape for <see cref="Reduction.None"/>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.mse_loss</c> / <c>nn.MSELoss</c>. Nielsen's quadratic cost
    /// <c>C = (1/2n) sum_x ||y(x) - a(x)||^2</c> over a batch <c>a</c> of shape <c>[n, outputs]</c> is
    /// <c>0.5 * MseLoss(a, y, Reduction.BatchMean)</c> (the 1/2 cancels the 2 of the derivative), which differs from
    /// the PyTorch default <see cref="Reduction.Mean"/> by the factor <c>outputs / 2</c>. Backward:
    /// <c>dl/dx = 2 (x - y)</c> and <c>dl/dy = -2 (x - y)</c>, times the reduction's scale. NaN inputs give NaN, not hidden.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ; the message names both and the op.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static Tensor<T> MseLoss<T>(this Tensor<T> input, Tensor<T> target, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        LossReduction.RequireSameShape(input, target, nameof(MseLoss));
        T scale = LossReduction.Scale<T>(reduction, input.Shape);
        var output = new Tensor<T>(LossReduction.OutputShape(reduction, input.Shape));
        MseLossBackward<T>.Forward(input, target, reduction, scale, output);
        if (Tape.ShouldRecord(input, target))
        {
            Tape.Record(new MseLossBackward<T>(output, input, target, reduction, scale));
        }

        return output;
    }
}

/// <summary>Backward of the squared error.</summary>
file sealed class MseLossBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Reduction _reduction;
    private readonly T _scale;

    public MseLossBackward(Tensor<T> output, Tensor<T> input, Tensor<T> target, Reduction reduction, T scale)
        : base(output, input, target) => (_reduction, _scale) = (reduction, scale);

    public override string OpName => "MseLoss";

    public override bool CanReplayForward => true;

    /// <summary>The forward kernel, shared by the op and a captured step's replay.</summary>
    public static void Forward(Tensor<T> input, Tensor<T> target, Reduction reduction, T scale, Tensor<T> output)
    {
        ReadOnlySpan<T> x = input.KernelReadSpan, y = target.KernelReadSpan;
        LossReduction.Accumulator<T> losses = LossReduction.Begin(output, reduction);
        for (int i = 0; i < x.Length; i++)
        {
            T diff = x[i] - y[i];
            losses.Add(i, diff * diff);
        }

        losses.Complete(scale);
        GC.KeepAlive(input); // kernel spans do not keep storage from the pool (see StoragePool)
        GC.KeepAlive(target);
    }

    public override void ReplayForward() => Forward(Inputs[0], Inputs[1], _reduction, _scale, Output);

    // d(x - y)^2/dx = 2 (x - y), d(x - y)^2/dy = -2 (x - y); each times the upstream gradient of that element.
    public override void Backward()
    {
        ReadOnlySpan<T> x = Inputs[0].KernelReadSpan, y = Inputs[1].KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> gradInput = GradFor(0), gradTarget = GradFor(1);
        T two = T.CreateTruncating(2);
        for (int i = 0; i < x.Length; i++)
        {
            T grad = two * (x[i] - y[i]) * LossReduction.ElementGradient(g, _reduction, _scale, i);
            if (!gradInput.IsEmpty)
            {
                gradInput[i] += grad;
            }

            if (!gradTarget.IsEmpty)
            {
                gradTarget[i] -= grad;
            }
        }
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> grad = Inputs[0].Sub(Inputs[1]).Mul(Derivatives.LossUpstream(gradOutput, _reduction, _scale)).Mul(T.CreateTruncating(2));
        return [NeedsGrad(0) ? grad : null, NeedsGrad(1) ? grad.Neg() : null];
    }
}
