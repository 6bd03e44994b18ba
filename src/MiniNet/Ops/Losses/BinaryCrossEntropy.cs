using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Binary cross-entropy on probabilities: per element <c>l = -[y ln p + (1 - y) ln(1 - p)]</c>, each logarithm
    /// clamped at -100 as PyTorch's <c>BCELoss</c> does, so <c>p</c> = 0 or 1 gives a large finite loss, not infinity.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="probabilities">The predicted probabilities p in <c>[0, 1]</c>.</param>
    /// <param name="targets">The targets y in <c>[0, 1]</c>, same shape.</param>
    /// <param name="reduction">See <see cref="Reduction"/>; <see cref="Reduction.Mean"/> matches PyTorch's default.</param>
    /// <returns>The loss.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.binary_cross_entropy</c> / <c>nn.BCELoss</c>. Backward, as PyTorch:
    /// <c>dl/dp = (p - y) / max(p (1 - p), 1e-12)</c>. Chained after <see cref="Sigmoid{T}"/> this loses the gradient
    /// once sigma saturates; prefer <see cref="BinaryCrossEntropyWithLogits{T}"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A probability or target is outside [0, 1] or NaN (PyTorch raises too); the message names the first such element's
    /// index and value. Nothing is recorded.
    /// </exception>
    public static Tensor<T> BinaryCrossEntropy<T>(this Tensor<T> probabilities, Tensor<T> targets, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        LossReduction.RequireSameShape(probabilities, targets, nameof(BinaryCrossEntropy));
        T scale = LossReduction.Scale<T>(reduction, probabilities.Shape);
        var output = new Tensor<T>(LossReduction.OutputShape(reduction, probabilities.Shape));
        ReadOnlySpan<T> p = probabilities.KernelReadSpan, y = targets.KernelReadSpan; // both read again by Tape.ShouldRecord
        LossReduction.Accumulator<T> losses = LossReduction.Begin(output, reduction);
        T minLog = T.CreateChecked(-100);
        for (int i = 0; i < p.Length; i++)
        {
            Logistic.RequireUnitInterval(p[i], i, "probabilities", nameof(BinaryCrossEntropy));
            Logistic.RequireUnitInterval(y[i], i, "targets", nameof(BinaryCrossEntropy));

            // T.Max propagates NaN (IEEE 754 maximum), so the -100 clamp never hides a NaN probability.
            losses.Add(i, -((y[i] * T.Max(T.Log(p[i]), minLog)) + ((T.One - y[i]) * T.Max(T.Log(T.One - p[i]), minLog))));
        }

        losses.Complete(scale);

        if (Tape.ShouldRecord(probabilities, targets))
        {
            Tape.Record(new BinaryCrossEntropyBackward<T>(output, probabilities, targets, reduction, scale));
        }

        return output;
    }
}

/// <summary>Backward of binary cross-entropy on probabilities.</summary>
file sealed class BinaryCrossEntropyBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Reduction _reduction;
    private readonly T _scale;

    public BinaryCrossEntropyBackward(Tensor<T> output, Tensor<T> p, Tensor<T> y, Reduction reduction, T scale)
        : base(output, p, y) => (_reduction, _scale) = (reduction, scale);

    public override string OpName => "BinaryCrossEntropy";

    // dl/dp = -y/p + (1-y)/(1-p) = (p - y) / (p (1 - p)); the denominator is floored at 1e-12 as in PyTorch.
    // dl/dy = ln(1 - p) - ln p, with the same -100 clamps as the forward.
    public override void Backward()
    {
        ReadOnlySpan<T> p = Inputs[0].KernelReadSpan, y = Inputs[1].KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> gradP = GradFor(0), gradY = GradFor(1);
        // PyTorch's floor is the float constant 1e-12f (9.99999996e-13) in every dtype; use the same value.
        T epsilon = T.CreateChecked(1e-12f), minLog = T.CreateChecked(-100);
        for (int i = 0; i < p.Length; i++)
        {
            T upstream = LossReduction.ElementGradient(g, _reduction, _scale, i);
            if (!gradP.IsEmpty)
            {
                gradP[i] += (p[i] - y[i]) / T.Max(p[i] * (T.One - p[i]), epsilon) * upstream;
            }

            if (!gradY.IsEmpty)
            {
                gradY[i] += (T.Max(T.Log(T.One - p[i]), minLog) - T.Max(T.Log(p[i]), minLog)) * upstream;
            }
        }
    }

    // The same formulas without the 1e-12 floor and the -100 clamps, which only act at p = 0 or 1. dl/dp is written
    // as (1 - y)/(1 - p) - y/p so that its derivative, (1 - y)/(1 - p)^2 + y/p^2, is a sum of positive terms.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> p = Inputs[0], y = Inputs[1], upstream = Derivatives.LossUpstream(gradOutput, _reduction, _scale);
        Tensor<T> oneMinusP = p.Neg().Add(T.One);
        return [NeedsGrad(0) ? y.Neg().Add(T.One).Div(oneMinusP).Sub(y.Div(p)).Mul(upstream) : null,
                NeedsGrad(1) ? oneMinusP.Log().Sub(p.Log()).Mul(upstream) : null];
    }
}
