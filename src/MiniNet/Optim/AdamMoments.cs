using System;
using System.Collections.Generic;
using System.Numerics;

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

    /// <summary>One Adam step of parameter <paramref name="index"/> with an L2 term <paramref name="l2"/> added to its gradient.</summary>
    /// <param name="index">The parameter index.</param>
    /// <param name="parameter">Its values.</param>
    /// <param name="grad">Its gradient.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="l2">The L2 coefficient (0 for AdamW, which decays separately).</param>
    private protected void AdamStep(int index, Span<T> parameter, ReadOnlySpan<T> grad, double learningRate, double l2) =>
        AdamMoments.Step(parameter, grad, Buffer(index, AdamMoments.StepBuffer, out _), Buffer(index, AdamMoments.ExpAvg, out _),
            Buffer(index, AdamMoments.ExpAvgSq, out _), learningRate, l2, Beta1, Beta2, Eps);
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
    /// One Adam step at <c>t = ++step</c> with an L2 term <paramref name="l2"/> added to the gradient:
    /// <c>m = b1 m + (1 - b1) g</c>; <c>v = b2 v + (1 - b2) g^2</c>;
    /// <c>w -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)</c>.
    /// </summary>
    public static void Step<T>(Span<T> parameter, ReadOnlySpan<T> grad, Span<T> step, Span<T> m, Span<T> v, double learningRate, double l2, double beta1, double beta2, double eps)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        step[0] += T.One;
        double t = double.CreateTruncating(step[0]);
        T b1 = T.CreateTruncating(beta1), b2 = T.CreateTruncating(beta2);
        T oneMinusB1 = T.CreateTruncating(1 - beta1), oneMinusB2 = T.CreateTruncating(1 - beta2);
        T decay = T.CreateTruncating(l2), epsilon = T.CreateTruncating(eps);
        T stepSize = T.CreateTruncating(learningRate / (1 - Math.Pow(beta1, t)));
        T sqrtCorrection2 = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(beta2, t)));
        for (int i = 0; i < parameter.Length; i++)
        {
            T g = grad[i] + (decay * parameter[i]);
            m[i] = (b1 * m[i]) + (oneMinusB1 * g);
            v[i] = (b2 * v[i]) + (oneMinusB2 * g * g);
            T denominator = (T.Sqrt(v[i]) / sqrtCorrection2) + epsilon;
            parameter[i] -= stepSize * m[i] / denominator;
        }
    }
}
