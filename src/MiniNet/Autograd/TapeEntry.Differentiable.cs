using System;

namespace MiniNet;

/// <content>
/// The tensor-valued backward used by <c>Autograd.Grad</c> and <c>Backward(createGraph: true)</c>:
/// either the op's <see cref="DifferentiableBackward"/> (built from MiniNet ops, so it is recorded and can be
/// differentiated again) or its fast span rule run into fresh buffers.
/// </content>
internal abstract partial class TapeEntry<T>
{

    /// <summary>
    /// The gradients of the inputs, given the gradient of the output, as tensors computed with MiniNet's own ops
    /// (PyTorch's derivative formulas), so that with grad mode on they are recorded and can be differentiated again.
    /// Return null for an input that needs no gradient (<see cref="NeedsGrad"/> false). Read saved tensors through
    /// <see cref="Inputs"/> and <see cref="Output"/>; do not modify them.
    /// </summary>
    /// <param name="gradOutput">The gradient flowing into <see cref="Output"/> (may itself require a gradient).</param>
    /// <returns>One entry per input.</returns>
    /// <exception cref="NotSupportedException">The op has no differentiable backward yet (the default).</exception>
    protected virtual Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) =>
        throw new NotSupportedException(
            $"{OpName} has no differentiable backward yet, so higher-order gradients (createGraph: true) cannot pass through it. " +
            "Use createGraph: false, or express the computation with ops that support it.");

    /// <summary>Computes the input gradients as tensors; <paramref name="createGraph"/> picks the differentiable rule.</summary>
    internal Tensor<T>?[] BackwardAsTensors(Tensor<T> gradOutput, bool createGraph)
    {
        if (createGraph)
        {
            Tensor<T>?[] grads = DifferentiableBackward(gradOutput);
            if (grads.Length != Inputs.Length)
            {
                throw new InvalidOperationException($"{OpName}'s differentiable backward returned {grads.Length} gradients for {Inputs.Length} inputs.");
            }

            for (int i = 0; i < grads.Length; i++)
            {
                if (grads[i] is { } g && g.Shape != Inputs[i].Shape)
                {
                    throw new InvalidOperationException($"{OpName}'s differentiable backward returned a gradient of shape {g.Shape} for input {i} of shape {Inputs[i].Shape}.");
                }
            }

            return grads;
        }

        var result = new Tensor<T>?[Inputs.Length];
        _rare ??= new Rare();
        (_rare.RedirectGradOutput, _rare.RedirectGrads) = (gradOutput, result);
        try
        {
            Backward();
        }
        finally
        {
            (_rare.RedirectGradOutput, _rare.RedirectGrads) = (null, null);
        }

        return result;
    }

    /// <inheritdoc/>
    public override void StepTensorWalk(TensorWalk walk) => walk.Step(this);

    private Span<T> RedirectedGrad(Tensor<T>?[] redirect, int i) => (redirect[i] ??= new Tensor<T>(Inputs[i].Shape)).KernelWriteSpan;

    /// <summary>The fields few entries need: inputs past the inline ones, and the redirect of <see cref="BackwardAsTensors"/>.</summary>
    private sealed class Rare
    {
        /// <summary>All inputs, when there are more than fit inline (Cat, Stack).</summary>
        public Tensor<T>[]? ManyInputs;

        /// <summary>Their versions when recorded.</summary>
        public int[]? ManyVersions;

        /// <summary>Set only while BackwardAsTensors runs the fast rule: GradOutput reads this...</summary>
        public Tensor<T>? RedirectGradOutput;

        /// <summary>... and GradFor writes into these.</summary>
        public Tensor<T>?[]? RedirectGrads;
    }
}
