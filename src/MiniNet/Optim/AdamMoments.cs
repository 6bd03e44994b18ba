using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MiniNet.Optim;

/// <summary>
/// The part <see cref="Adam{T}"/> and <see cref="AdamW{T}"/> share: the moment decays <c>b1</c>, <c>b2</c>, <c>eps</c>, the
/// default weight decay, and the state <c>"{i}.step"</c> (a scalar tensor, as PyTorch stores it), <c>"{i}.exp_avg"</c>, <c>"{i}.exp_avg_sq"</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: the common options of <c>torch.optim.Adam</c> and <c>torch.optim.AdamW</c>.</remarks>
public abstract class AdamFamily<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private protected AdamFamily(IEnumerable<ParameterGroup<T>> groups, double learningRate, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, learningRate, weightDecay)
    {
        AdamMoments.Validate(beta1, beta2, eps);
        (Beta1, Beta2, Eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
        DeclareBuffer(AdamMoments.StepBuffer);
        DeclareBuffer(AdamMoments.ExpAvg);
        DeclareBuffer(AdamMoments.ExpAvgSq);
    }

    /// <summary>The first-moment decay <c>b1</c>.</summary>
    public double Beta1 { get; }

    /// <summary>The second-moment decay <c>b2</c>.</summary>
    public double Beta2 { get; }

    /// <summary>The denominator term <c>eps</c>.</summary>
    public double Eps { get; }

    /// <summary>The default weight decay (a group may override it): L2 for Adam, decoupled for AdamW.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected internal override IEnumerable<(string Name, double Value)> Hyperparameters() => new[] { ("beta1", Beta1), ("beta2", Beta2), ("eps", Eps) };

    /// <inheritdoc/>
    protected override Shape BufferShape(string name, Tensor<T> parameter) => name == AdamMoments.StepBuffer ? Shape.Scalar : parameter.Shape;

    /// <summary>
    /// One Adam step of parameter <paramref name="index"/>, in one pass: the weights are first scaled by
    /// <paramref name="shrink"/>, then an L2 term <paramref name="l2"/> is added to the gradient.
    /// </summary>
    /// <param name="index">The parameter index.</param>
    /// <param name="parameter">Its values.</param>
    /// <param name="grad">Its gradient.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="l2">The L2 coefficient (0 for AdamW, which decays separately).</param>
    /// <param name="shrink">AdamW's decoupled decay factor <c>1 - lr * weightDecay</c> (1 for Adam).</param>
    private protected void AdamStep(int index, Span<T> parameter, ReadOnlySpan<T> grad, double learningRate, double l2, double shrink) =>
        AdamMoments.Step(parameter, grad, Buffer(index, AdamMoments.StepBuffer, out _), Buffer(index, AdamMoments.ExpAvg, out _),
            Buffer(index, AdamMoments.ExpAvgSq, out _), learningRate, l2, shrink, Beta1, Beta2, Eps);
}

/// <summary>The moment estimates and bias-corrected step shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>.</summary>
internal static class AdamMoments
{
    public const string StepBuffer = "step", ExpAvg = "exp_avg", ExpAvgSq = "exp_avg_sq";

    public static void Validate(double beta1, double beta2, double eps)
    {
        HyperparameterCheck.Fraction(beta1, nameof(beta1));
        HyperparameterCheck.Fraction(beta2, nameof(beta2));
        HyperparameterCheck.NonNegative(eps, nameof(eps));
    }

    /// <summary>
    /// One Adam step at <c>t = ++step</c>: <c>w = shrink w</c> (AdamW's decoupled decay, 1 for Adam); then with an L2
    /// term <paramref name="l2"/> added to the gradient <c>g = g + l2 w</c>; <c>m = b1 m + (1 - b1) g</c>;
    /// <c>v = b2 v + (1 - b2) g^2</c>; <c>w -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)</c>.
    /// </summary>
    public static void Step<T>(
        Span<T> parameter, ReadOnlySpan<T> grad, Span<T> step, Span<T> m, Span<T> v, double learningRate, double l2, double shrink, double beta1, double beta2, double eps)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        step[0] += T.One;
        double t = double.CreateTruncating(step[0]);
        T b1 = T.CreateTruncating(beta1), b2 = T.CreateTruncating(beta2);
        T oneMinusB1 = T.CreateTruncating(1 - beta1), oneMinusB2 = T.CreateTruncating(1 - beta2);
        T decay = T.CreateTruncating(l2), epsilon = T.CreateTruncating(eps), factor = T.CreateTruncating(shrink);
        T stepSize = T.CreateTruncating(learningRate / (1 - Math.Pow(beta1, t)));
        T sqrtCorrection2 = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(beta2, t)));
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameter.Length >= Vector<T>.Count)
        {
            // One pass over w, g, m and v in SIMD registers (the update is memory-bound), with the same operations in
            // the same order as the scalar tail below, so every lane rounds exactly as the scalar loop would.
            Vector<T> vB1 = new(b1), vB2 = new(b2), vOneMinusB1 = new(oneMinusB1), vOneMinusB2 = new(oneMinusB2);
            Vector<T> vDecay = new(decay), vEps = new(epsilon), vFactor = new(factor), vStepSize = new(stepSize), vCorrection = new(sqrtCorrection2);
            Span<Vector<T>> w = MemoryMarshal.Cast<T, Vector<T>>(parameter), vm = MemoryMarshal.Cast<T, Vector<T>>(m), vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            ReadOnlySpan<Vector<T>> vg = MemoryMarshal.Cast<T, Vector<T>>(grad);
            for (int k = 0; k < w.Length; k++)
            {
                Vector<T> wk = w[k] * vFactor;
                Vector<T> g = vg[k] + (vDecay * wk);
                Vector<T> mk = (vB1 * vm[k]) + (vOneMinusB1 * g);
                Vector<T> vk = (vB2 * vv[k]) + (vOneMinusB2 * g * g);
                vm[k] = mk;
                vv[k] = vk;
                w[k] = wk - (vStepSize * mk / ((Vector.SquareRoot(vk) / vCorrection) + vEps));
            }

            i = w.Length * Vector<T>.Count;
        }

        for (; i < parameter.Length; i++)
        {
            T w = parameter[i] * factor;
            T g = grad[i] + (decay * w);
            m[i] = (b1 * m[i]) + (oneMinusB1 * g);
            v[i] = (b2 * v[i]) + (oneMinusB2 * g * g);
            parameter[i] = w - (stepSize * m[i] / ((T.Sqrt(v[i]) / sqrtCorrection2) + epsilon));
        }
    }
}
