using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// The recorder behind <see cref="Autograd.CaptureStep{T}"/>: while it is the calling thread's <see cref="Current"/>,
/// every recorded op, backward walk, optimizer step and gradient reset adds the kernel that repeats it, and every
/// tensor created is remembered, so an op that reads a value replay would not recompute is refused.
/// </summary>
internal sealed class StepCapture
{
    [ThreadStatic]
    private static StepCapture? t_current;

    private readonly HashSet<object> _created = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _produced = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _inputSet = new(ReferenceEqualityComparer.Instance);

    private StepCapture()
    {
    }

    /// <summary>The capture under way on the calling thread, or null (the usual case: one static read per hook).</summary>
    public static StepCapture? Current => t_current;

    /// <summary>The kernels that repeat the step, in the order the step ran them.</summary>
    public List<Action> Kernels { get; } = new();

    /// <summary>Tensors that existed before the capture, need no gradient and are read by captured ops (the data), in order of first use.</summary>
    public List<object> Inputs { get; } = new();

    /// <summary>Starts capturing on the calling thread.</summary>
    /// <exception cref="InvalidOperationException">A capture is already under way on this thread.</exception>
    public static StepCapture Begin()
    {
        if (t_current is not null)
        {
            throw new InvalidOperationException("Autograd.CaptureStep was called inside another CaptureStep on this thread; captures do not nest.");
        }

        return t_current = new StepCapture();
    }

    /// <summary>Stops capturing on the calling thread.</summary>
    public static void End() => t_current = null;

    /// <summary>Remembers a tensor created during the capture (its values are not recomputed by replay unless an op produced it).</summary>
    public static void NoteCreated(object tensor) => t_current?._created.Add(tensor);

    /// <summary>Adds a kernel that is not an op: an optimizer step, a gradient reset.</summary>
    public void Add(Action kernel) => Kernels.Add(kernel);

    /// <summary>Adds a recorded op's forward kernel, after checking that replay can recompute it and everything it reads.</summary>
    /// <exception cref="NotSupportedException">The op has no replay kernel, or reads a tensor replay would not recompute.</exception>
    public void AddForward<T>(TapeEntry<T> entry)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Autograd.IsRecordingBackward)
        {
            throw new NotSupportedException(
                "Autograd.CaptureStep: a backward pass with createGraph (Backward(createGraph: true) or Autograd.Grad) ran in the capture; " +
                "a captured step replays only the plain Backward(), whose gradients are written in place.");
        }

        if (!entry.CanReplayForward)
        {
            throw new NotSupportedException(
                $"Autograd.CaptureStep: {entry.OpName} (inputs {entry.DescribeInputs()}) cannot be replayed: it has no replay kernel. " +
                "Train this model with the plain step (Backward(); Step()), or capture a step built from ops that replay " +
                "(Linear, MatMul, Sigmoid, BinaryCrossEntropyWithLogits, MseLoss).");
        }

        ReadOnlySpan<Tensor<T>> inputs = entry.Inputs;
        for (int i = 0; i < inputs.Length; i++)
        {
            RequireReplayable(inputs[i], $"input {i} of {entry.OpName}");
        }

        _produced.Add(entry.Output);
        Kernels.Add(entry.ReplayForward);
    }

    /// <summary>
    /// Throws unless replay keeps <paramref name="tensor"/> current: an output of a captured op, or a tensor created
    /// before the capture (then, when it needs no gradient, it is one of the step's <see cref="Inputs"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The tensor was created during the capture by code replay does not repeat.</exception>
    public void RequireReplayable<T>(Tensor<T> tensor, string role)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (_produced.Contains(tensor))
        {
            return;
        }

        if (_created.Contains(tensor))
        {
            throw new NotSupportedException(
                $"Autograd.CaptureStep: {role} (shape {tensor.Shape}) was created during the capture by code that replay does not repeat " +
                "(a factory, Detach(), or an op that recorded nothing because no input needed a gradient or it ran under NoGrad), " +
                "so a replay would read this capture's values. Create it before CaptureStep and copy each step's values into it.");
        }

        if (!tensor.RequiresGrad && _inputSet.Add(tensor))
        {
            Inputs.Add(tensor);
        }
    }

    /// <summary>True when a captured op produced <paramref name="tensor"/>.</summary>
    public bool Produced(object tensor) => _produced.Contains(tensor);
}
