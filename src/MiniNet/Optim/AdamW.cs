using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet.Optim;

/// <summary>
/// Adam with decoupled weight decay. Per parameter, at step <c>t</c>: <c>w = w (1 - lr * weightDecay)</c>; then
/// Adam's update without an L2 term: <c>m = b1 m + (1 - b1) g</c>; <c>v = b2 v + (1 - b2) g^2</c>;
/// <c>w = w - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// PyTorch: <c>torch.optim.AdamW(params, lr, betas=(b1, b2), eps, weight_decay)</c> (Loshchilov and Hutter): the
/// decay shrinks the weights directly instead of entering the adaptive step, so it is not divided by <c>sqrt(v)</c>.
/// Default weight decay 0.01, as in PyTorch. State: <c>"{i}.step"</c>, <c>"{i}.exp_avg"</c>, <c>"{i}.exp_avg_sq"</c>.
/// </remarks>
public class AdamW<T> : AdamFamily<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer over one group of parameters.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="beta1">Decay of the first-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="beta2">Decay of the second-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="eps">Added to the denominator for stability, non-negative.</param>
    /// <param name="weightDecay">The decoupled decay coefficient, non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">A parameter is repeated.</exception>
    public AdamW(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : this(new[] { new ParameterGroup<T>(parameters) }, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <summary>Creates the optimizer over parameter groups, each with its own learning rate and weight decay.</summary>
    /// <param name="groups">The groups; a group's null setting takes the default given here.</param>
    /// <param name="learningRate">The default step size.</param>
    /// <param name="beta1">Decay of the first-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="beta2">Decay of the second-moment average, in <c>[0, 1)</c>.</param>
    /// <param name="eps">Added to the denominator for stability, non-negative.</param>
    /// <param name="weightDecay">The default decoupled decay coefficient, non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">No group, or a parameter is repeated.</exception>
    public AdamW(IEnumerable<ParameterGroup<T>> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> parameter, ReadOnlySpan<T> grad, OptimizerGroup group) =>
        AdamStep(index, parameter, grad, group.LearningRate, l2: 0, shrink: 1 - (group.LearningRate * group.WeightDecay));
}

/// <summary>A float <see cref="AdamW{T}"/>.</summary>
/// <remarks>PyTorch: <c>torch.optim.AdamW</c>.</remarks>
public sealed class AdamW : AdamW<float>
{
    /// <inheritdoc cref="AdamW{T}(IEnumerable{Tensor{T}}, double, double, double, double, double)"/>
    public AdamW(IEnumerable<Tensor<float>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <inheritdoc cref="AdamW{T}(IEnumerable{ParameterGroup{T}}, double, double, double, double, double)"/>
    public AdamW(IEnumerable<ParameterGroup<float>> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay)
    {
    }
}
