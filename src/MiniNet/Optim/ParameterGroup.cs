using System;
using System.Collections.Generic;
using System.Numerics;
using MiniNet.NN;

namespace MiniNet.Optim;

/// <summary>
/// A set of parameters with its own learning rate and weight decay, given to an optimizer's constructor; a setting
/// left null takes the optimizer's default. Typical use: no weight decay on biases and normalisation parameters
/// (<see cref="ParameterGroup.DecayWeightsOnly{T}"/>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: one dict of <c>optimizer.param_groups</c>, e.g. <c>{"params": biases, "weight_decay": 0}</c>.</remarks>
public sealed class ParameterGroup<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the group.</summary>
    /// <param name="parameters">The group's parameters (their order defines their state indexes).</param>
    /// <param name="learningRate">The group's learning rate, or null for the optimizer's.</param>
    /// <param name="weightDecay">The group's weight decay, or null for the optimizer's.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public ParameterGroup(IEnumerable<Tensor<T>> parameters, double? learningRate = null, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = new List<Tensor<T>>(parameters).AsReadOnly();
        (LearningRate, WeightDecay) = (learningRate, weightDecay);
    }

    /// <summary>The group's parameters.</summary>
    public IReadOnlyList<Tensor<T>> Parameters { get; }

    /// <summary>The group's learning rate, or null for the optimizer's default.</summary>
    public double? LearningRate { get; }

    /// <summary>The group's weight decay, or null for the optimizer's default.</summary>
    public double? WeightDecay { get; }
}

/// <summary>Helpers that build <see cref="ParameterGroup{T}"/> lists.</summary>
public static class ParameterGroup
{
    /// <summary>
    /// Two groups over <paramref name="module"/>'s parameters: those of rank 2 or more (linear and convolution
    /// weights, embeddings) with <paramref name="weightDecay"/>, and those of rank 0 or 1 (biases, batch- and
    /// layer-norm scales and shifts) with none. Both keep the optimizer's learning rate.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="module">The model.</param>
    /// <param name="weightDecay">The decay of the first group.</param>
    /// <returns><c>[decayed, notDecayed]</c>, each in <see cref="Module{T}.Parameters"/> order.</returns>
    /// <remarks>The usual PyTorch recipe: <c>[{"params": weights, "weight_decay": wd}, {"params": others, "weight_decay": 0}]</c>.</remarks>
    public static ParameterGroup<T>[] DecayWeightsOnly<T>(Module<T> module, double weightDecay)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        var decayed = new List<Tensor<T>>();
        var rest = new List<Tensor<T>>();
        foreach (Tensor<T> parameter in module.Parameters())
        {
            (parameter.Shape.Rank >= 2 ? decayed : rest).Add(parameter);
        }

        return new[] { new ParameterGroup<T>(decayed, weightDecay: weightDecay), new ParameterGroup<T>(rest, weightDecay: 0) };
    }
}

/// <summary>
/// One parameter group as the optimizer holds it: a contiguous range of <see cref="Optimizer{T}.Parameters"/>, its
/// learning rate (which schedules set) and its weight decay.
/// </summary>
/// <remarks>PyTorch: an entry of <c>optimizer.param_groups</c> with its <c>lr</c> and <c>weight_decay</c>.</remarks>
public sealed class OptimizerGroup
{
    private double _learningRate;

    internal OptimizerGroup(int index, int firstParameter, int parameterCount, double learningRate, double weightDecay)
    {
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"Parameter group {index}: the weight decay must be finite and non-negative.");
        }

        (Index, FirstParameter, ParameterCount, WeightDecay) = (index, firstParameter, parameterCount, weightDecay);
        if (!IsValidRate(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"Parameter group {index}: the learning rate must be finite and non-negative.");
        }

        _learningRate = learningRate;
    }

    /// <summary>The group's position in <see cref="Optimizer.Groups"/>.</summary>
    public int Index { get; }

    /// <summary>The index in <see cref="Optimizer{T}.Parameters"/> of the group's first parameter.</summary>
    public int FirstParameter { get; }

    /// <summary>How many parameters the group holds.</summary>
    public int ParameterCount { get; }

    /// <summary>The L2 coefficient of the group (decoupled for <see cref="AdamW{T}"/>).</summary>
    public double WeightDecay { get; }

    /// <summary>The group's step size, used by the next <c>Step()</c>; schedules set it between epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = IsValidRate(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Parameter group {Index}: the learning rate must be finite and non-negative.");
    }

    private static bool IsValidRate(double rate) => rate >= 0 && double.IsFinite(rate);
}
