using System;
using System.Numerics;

namespace MiniNet;

public static partial class Ops
{
    /// <summary>
    /// Binary cross-entropy on logits, fused with the sigmoid: per element
    /// <c>l = max(z, 0) - z*y + log1p(exp(-|z|))</c>, which equals <c>-[y ln sigma(z) + (1 - y) ln(1 - sigma(z))]</c>
    /// without ever forming <c>sigma(z)</c> or its logarithm, so it is finite and exact for any finite z.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="logits">The pre-activations z.</param>
    /// <param name="targets">The targets y in <c>[0, 1]</c>, same shape as <paramref name="logits"/>.</param>
    /// <param name="reduction">
    /// <see cref="Reduction.Mean"/> (default) divides by the element count, as PyTorch's
    /// <c>F.binary_cross_entropy_with_logits(z, y)</c>; <see cref="Reduction.BatchMean"/> sums over outputs and divides
    /// by the batch size n, as Nielsen's cross-entropy cost; <see cref="Reduction.Sum"/> and <see cref="Reduction.None"/>
    /// as in PyTorch.
    /// </param>
    /// <returns>The loss: a scalar, or per element for <see cref="Reduction.None"/>.</returns>
    /// <remarks>
    /// PyTorch: <c>torch.nn.functional.binary_cross_entropy_with_logits</c> / <c>nn.BCEWithLogitsLoss</c>. One tape
    /// entry whose backward writes <c>dC/dz = (sigma(z) - y) * scale</c> straight into the logits' gradient: the
    /// sigma'(z) factor of the chain rule cancels analytically (Nielsen, ch. 3), which is what cures the learning
    /// slowdown, and it is never computed, so the gradient stays exact at |z| = 50 where the unfused
    /// <c>BinaryCrossEntropy(Sigmoid(z))</c> gives 0.
    /// <para>
    /// At <c>z = +-inf</c> the loss is its limit: 0 for a right answer (y = 1 at +inf, y = 0 at -inf), else +inf; PyTorch
    /// returns NaN for the right answers and for every y at -inf. The gradients are PyTorch's: <c>sigma(z) - y</c>
    /// (finite) and <c>-z</c> for the targets.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A target is outside [0, 1] or NaN; the message names the first such element's index and value. (A NaN logit is
    /// not an error: it gives a NaN loss, as in PyTorch.)
    /// </exception>
    public static Tensor<T> BinaryCrossEntropyWithLogits<T>(this Tensor<T> logits, Tensor<T> targets, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        LossReduction.RequireSameShape(logits, targets, nameof(BinaryCrossEntropyWithLogits));
        T scale = LossReduction.Scale<T>(reduction, logits.Shape);
        var output = new Tensor<T>(LossReduction.OutputShape(reduction, logits.Shape));
        BinaryCrossEntropyWithLogitsForward.Run(logits, targets, reduction, scale, output);
        if (Tape.ShouldRecord(logits, targets))
        {
            Tape.Record(new BinaryCrossEntropyWithLogitsBackward<T>(output, logits, targets, reduction, scale));
        }

        return output;
    }
}

/// <summary>Backward of the fused sigmoid + binary cross-entropy.</summary>
file sealed class BinaryCrossEntropyWithLogitsBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Reduction _reduction;
    private readonly T _scale;

    public BinaryCrossEntropyWithLogitsBackward(Tensor<T> output, Tensor<T> logits, Tensor<T> targets, Reduction reduction, T scale)
        : base(output, logits, targets) => (_reduction, _scale) = (reduction, scale);

    public override string OpName => "BinaryCrossEntropyWithLogits";

    public override bool CanReplayForward => true;

    public override void ReplayForward() => BinaryCrossEntropyWithLogitsForward.Run(Inputs[0], Inputs[1], _reduction, _scale, Output);

    // d/dz[max(z,0) - z*y + log1p(e^-|z|)] = sigma(z) - y   (the sigma'(z) of the chain rule has cancelled)
    // d/dy[...] = -z
    public override void Backward()
    {
        ReadOnlySpan<T> z = Inputs[0].KernelReadSpan, y = Inputs[1].KernelReadSpan;
        ReadOnlySpan<T> g = GradOutput;
        Span<T> gradLogits = GradFor(0);
        Span<T> gradTargets = GradFor(1);

        // Without reduction each element has its own upstream gradient; otherwise all share g * scale.
        ReadOnlySpan<T> upstream = _reduction == Reduction.None ? g : default;
        T shared = _reduction == Reduction.None ? T.Zero : g[0] * _scale;
        if (!gradLogits.IsEmpty)
        {
            Logistic.BceWithLogitsGrad(z, y, upstream, shared, gradLogits);
        }

        for (int i = 0; i < gradTargets.Length; i++)
        {
            gradTargets[i] -= z[i] * (upstream.IsEmpty ? shared : upstream[i]);
        }
    }

    // sigma(z) - y through the stable Sigmoid op, so the second derivative sigma(z)(1 - sigma(z)) stays exact and
    // finite at |z| = 100.
    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput)
    {
        Tensor<T> z = Inputs[0], upstream = Derivatives.LossUpstream(gradOutput, _reduction, _scale);
        return [NeedsGrad(0) ? z.Sigmoid().Sub(Inputs[1]).Mul(upstream) : null, NeedsGrad(1) ? z.Mul(upstream).Neg() : null];
    }
}

/// <summary>The forward kernel, shared by the op and a captured step's replay.</summary>
file static class BinaryCrossEntropyWithLogitsForward
{
    public static void Run<T>(Tensor<T> logits, Tensor<T> targets, Reduction reduction, T scale, Tensor<T> output)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> z = logits.KernelReadSpan, y = targets.KernelReadSpan;
        Span<T> result = output.KernelWriteSpan;
        if (reduction == Reduction.None)
        {
            Logistic.BceWithLogits(z, y, result);
        }
        else
        {
            result[0] = Logistic.BceWithLogitsSum(z, y) * scale;
        }

        GC.KeepAlive(logits); // kernel spans do not keep storage from the pool (see StoragePool)
        GC.KeepAlive(targets);
    }
}
