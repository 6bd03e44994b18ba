using System;

namespace MiniNet.Optim;

/// <content>The optimizer step inside the backward pass (<see cref="StepInBackward"/>).</content>
public abstract partial class Optimizer<T> : IInBackwardStepper, IPlainStepSource
{
    private InBackward<T>.Slot[]? _inBackward;

    /// <summary>
    /// When true, every <see cref="Tensor{T}.Backward"/> on the calling thread also takes this optimizer's step for
    /// the parameters whose gradient it produced, and leaves their <see cref="Tensor{T}.Grad"/> null (as
    /// <c>ZeroGrad()</c> would): a training step is then <c>loss.Backward()</c> alone, with no <see cref="Step"/> and
    /// no <see cref="ZeroGrad"/>. Off by default; set it on the thread that runs the backward passes.
    /// </summary>
    /// <remarks>
    /// <para>PyTorch: the "optimizer in backward" pattern, <c>p.register_post_accumulate_grad_hook(hook)</c> on every
    /// parameter with a hook that runs a one-parameter <c>optimizer.step()</c> and <c>optimizer.zero_grad()</c>.</para>
    /// <para>Each parameter is updated once its gradient is complete, with the same update <see cref="Step"/> applies
    /// (<see cref="Optimizer.StepCount"/> counts one step per backward pass that updated anything). When plain SGD (no
    /// momentum, no weight decay) updates a Linear weight or bias that no other op of the graph uses, Linear applies
    /// <c>W -= lr * G^T X</c> inside its weight-gradient GEMM and never writes the gradient: one pass over the weights
    /// instead of three. That product adds the batch's terms into <c>W</c> in a different order than
    /// <c>W - lr * (G^T X)</c>, so it may differ from <see cref="Step"/> in the last bits (it is identical when the
    /// batch is one row and the rate is a power of two); every other update is identical to <see cref="Step"/>.
    /// Parameters are updated in place, so a graph that still uses them (<c>retainGraph: true</c>) can no longer be
    /// differentiated and says so. <c>Backward(createGraph: true)</c> and <c>Autograd.Grad</c> do not step.</para>
    /// </remarks>
    public bool StepInBackward
    {
        get => _inBackward is not null;
        set
        {
            if (value == StepInBackward)
            {
                return;
            }

            if (value)
            {
                _inBackward = new InBackward<T>.Slot[_parameters.Length];
                for (int i = 0; i < _parameters.Length; i++)
                {
                    _inBackward[i] = InBackward<T>.Register(_parameters[i], this, i);
                }

                InBackward.Add(this);
                return;
            }

            foreach (Tensor<T> parameter in _parameters)
            {
                InBackward<T>.Unregister(parameter, this);
            }

            InBackward.Remove(this);
            _inBackward = null;
        }
    }

    /// <inheritdoc/>
    void IInBackwardStepper.BeginWalk()
    {
        foreach (InBackward<T>.Slot slot in _inBackward!)
        {
            (slot.Uses, slot.Done) = (0, false);
        }
    }

    /// <inheritdoc/>
    void IInBackwardStepper.EndWalk(bool completed)
    {
        if (!completed)
        {
            return;
        }

        bool stepped = false;
        using (Autograd.NoGrad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                InBackward<T>.Slot slot = _inBackward![i];
                if (slot.Done)
                {
                    stepped = true;
                }
                else if (slot.Uses > 0 && _parameters[i].Grad is { } grad)
                {
                    Update(i, _parameters[i].AsSpanForWrite(), grad.KernelReadSpan, _groupOf[i]);
                    _parameters[i].ReleaseGrad();
                    stepped = true;
                }
            }
        }

        if (stepped)
        {
            StepCount++;
        }
    }

    /// <inheritdoc/>
    bool IPlainStepSource.IsPlainStep(int index, out double learningRate)
    {
        learningRate = _groupOf[index].LearningRate;
        return IsPlainStep(_groupOf[index]);
    }

    /// <summary>True when this optimizer updates the parameters of <paramref name="group"/> by <c>p -= lr * grad</c> alone.</summary>
    private protected virtual bool IsPlainStep(OptimizerGroup group) => false;

    private void ThrowIfStepsInBackward()
    {
        if (StepInBackward)
        {
            throw new InvalidOperationException(
                $"{GetType().Name}.Step() was called with StepInBackward on: Backward() already updated the parameters. " +
                "Drop the Step() (and ZeroGrad()) calls, or set StepInBackward = false.");
        }
    }
}
