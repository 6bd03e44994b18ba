using System;

namespace MiniNet.Optim;

/// <summary>
/// Base class of learning-rate schedules: call <see cref="Step"/> once per epoch (after that epoch's updates) and
/// the optimizer's <see cref="Optimizer.LearningRate"/> becomes <c>RateAt(epoch)</c>.
/// </summary>
/// <remarks>PyTorch: <c>torch.optim.lr_scheduler.LRScheduler</c>. The base rate is the optimizer's rate when the schedule is created.</remarks>
public abstract class LrScheduler
{
    /// <summary>Attaches the schedule to <paramref name="optimizer"/>, remembering its current rate as the base rate.</summary>
    /// <param name="optimizer">The optimizer whose rate is set.</param>
    protected LrScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer being scheduled.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate at epoch 0.</summary>
    public double BaseLearningRate { get; }

    /// <summary>How many epochs have completed (the number of <see cref="Step"/> calls).</summary>
    public int Epoch { get; private set; }

    /// <summary>Advances to the next epoch and sets the optimizer's learning rate for it.</summary>
    /// <remarks>PyTorch: <c>scheduler.step()</c>.</remarks>
    public void Step()
    {
        Epoch++;
        Optimizer.LearningRate = RateAt(Epoch);
    }

    /// <summary>The learning rate for <paramref name="epoch"/> (0-based).</summary>
    /// <param name="epoch">The epoch.</param>
    /// <returns>The rate.</returns>
    public abstract double RateAt(int epoch);
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
    public override double RateAt(int epoch) => BaseLearningRate * Math.Pow(_gamma, epoch / _stepSize);
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
    public override double RateAt(int epoch) => BaseLearningRate * Math.Pow(_gamma, epoch);
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
    public override double RateAt(int epoch) => BaseLearningRate * _factor(epoch);
}
