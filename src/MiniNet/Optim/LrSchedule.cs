using System;
using System.Collections.Generic;

namespace MiniNet.Optim;

/// <summary>
/// Base class of learning-rate schedules: call <see cref="Step"/> once per epoch (after that epoch's updates) and
/// each parameter group's rate becomes <c>RateAt(its base rate, epoch)</c>.
/// </summary>
/// <remarks>
/// PyTorch: <c>torch.optim.lr_scheduler.LRScheduler</c>. The base rates are the groups' rates when the schedule is
/// created (PyTorch's <c>base_lrs</c>); the rates are computed in closed form from them, so a rate set by hand
/// between epochs is overwritten at the next <see cref="Step"/>.
/// </remarks>
public abstract class LrScheduler
{
    private readonly double[] _baseRates;

    /// <summary>Attaches the schedule to <paramref name="optimizer"/>, remembering each group's current rate as its base rate.</summary>
    /// <param name="optimizer">The optimizer whose rates are set.</param>
    protected LrScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        _baseRates = new double[optimizer.Groups.Count];
        for (int g = 0; g < _baseRates.Length; g++)
        {
            _baseRates[g] = optimizer.Groups[g].LearningRate;
        }
    }

    /// <summary>The optimizer being scheduled.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The first group's learning rate at epoch 0.</summary>
    public double BaseLearningRate => _baseRates[0];

    /// <summary>Each group's learning rate at epoch 0 (PyTorch: <c>base_lrs</c>).</summary>
    public IReadOnlyList<double> BaseLearningRates => _baseRates;

    /// <summary>How many epochs have completed (the number of <see cref="Step"/> calls).</summary>
    public int Epoch { get; private set; }

    /// <summary>Advances to the next epoch and sets every group's learning rate for it.</summary>
    /// <remarks>PyTorch: <c>scheduler.step()</c>. Inside <c>Autograd.CaptureStep</c> the call is captured: each replay repeats it.</remarks>
    public void Step()
    {
        StepCapture.Current?.Add(Step);
        Epoch++;
        for (int g = 0; g < _baseRates.Length; g++)
        {
            Optimizer.Groups[g].LearningRate = RateAt(_baseRates[g], Epoch);
        }
    }

    /// <summary>The first group's learning rate for <paramref name="epoch"/>: <c>RateAt(BaseLearningRate, epoch)</c>.</summary>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <returns>The rate.</returns>
    public double RateAt(int epoch) => RateAt(_baseRates[0], epoch);

    /// <summary>The learning rate for <paramref name="epoch"/> of a group whose base rate is <paramref name="baseRate"/>.</summary>
    /// <param name="baseRate">The group's rate at epoch 0.</param>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <returns>The rate.</returns>
    public abstract double RateAt(double baseRate, int epoch);
}

/// <summary>Multiplies the rate by <c>gamma</c> every <c>stepSize</c> epochs: <c>lr = base * gamma^floor(epoch / stepSize)</c>.</summary>
/// <remarks>PyTorch: <c>torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma)</c>.</remarks>
public sealed class StepLR : LrScheduler
{
    private readonly int _stepSize;
    private readonly double _gamma;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="stepSize">Epochs between decays, positive.</param>
    /// <param name="gamma">The decay factor, finite and non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        if (!(gamma >= 0) || !double.IsFinite(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be finite and non-negative.");
        }

        (_stepSize, _gamma) = (stepSize, gamma);
    }

    /// <inheritdoc/>
    /// <remarks>PyTorch multiplies the current rate by <c>gamma</c> at each multiple of <c>stepSize</c>; the same
    /// products are formed here, in the same order, so the rates are bit-identical to PyTorch's (not <c>Math.Pow</c>'s).</remarks>
    public override double RateAt(double baseRate, int epoch)
    {
        double rate = baseRate;
        for (int k = epoch / _stepSize; k > 0; k--)
        {
            rate *= _gamma;
        }

        return rate;
    }
}

/// <summary>Multiplies the rate by <c>gamma</c> every epoch: <c>lr = base * gamma^epoch</c>.</summary>
/// <remarks>PyTorch: <c>torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)</c>.</remarks>
public sealed class ExponentialLR : LrScheduler
{
    private readonly double _gamma;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="gamma">The decay factor, finite and non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is out of range.</exception>
    public ExponentialLR(Optimizer optimizer, double gamma)
        : base(optimizer)
    {
        if (!(gamma >= 0) || !double.IsFinite(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be finite and non-negative.");
        }

        _gamma = gamma;
    }

    /// <inheritdoc/>
    public override double RateAt(double baseRate, int epoch) => baseRate * Math.Pow(_gamma, epoch);
}

/// <summary>Sets the rate to <c>base * factor(epoch)</c> for a user function.</summary>
/// <remarks>PyTorch: <c>torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)</c>.</remarks>
public sealed class LambdaLR : LrScheduler
{
    private readonly Func<int, double> _factor;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="factor">Maps an epoch to a multiplier of the base rate.</param>
    public LambdaLR(Optimizer optimizer, Func<int, double> factor)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(factor);
        _factor = factor;
    }

    /// <inheritdoc/>
    public override double RateAt(double baseRate, int epoch) => baseRate * _factor(epoch);
}

/// <summary>
/// Anneals the rate along half a cosine from the base rate to <c>etaMin</c> over <c>tMax</c> epochs:
/// <c>lr = etaMin + (base - etaMin) (1 + cos(pi epoch / tMax)) / 2</c> (past <c>tMax</c> the cosine continues, rising again).
/// </summary>
/// <remarks>
/// PyTorch: <c>torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min)</c>, its closed form
/// (<c>_get_closed_form_lr</c>). PyTorch's <c>step()</c> uses an equivalent recursive form, which agrees to rounding
/// (about 1e-16 relative) as long as the rate is not changed by hand.
/// </remarks>
public sealed class CosineAnnealingLR : LrScheduler
{
    private readonly int _tMax;
    private readonly double _etaMin;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="tMax">Epochs from the base rate to <paramref name="etaMin"/>, positive.</param>
    /// <param name="etaMin">The final rate, finite and non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tMax);
        HyperparameterCheck.NonNegative(etaMin, nameof(etaMin));
        (_tMax, _etaMin) = (tMax, etaMin);
    }

    /// <inheritdoc/>
    public override double RateAt(double baseRate, int epoch) =>
        _etaMin + ((baseRate - _etaMin) * (1 + Math.Cos(Math.PI * epoch / _tMax)) / 2);
}
