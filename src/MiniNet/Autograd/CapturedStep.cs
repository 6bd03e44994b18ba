using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

public static partial class Autograd
{
    /// <summary>
    /// Runs one training step (forward, loss, <c>Backward()</c>, optimizer <c>Step()</c>) while recording every kernel it
    /// runs, and returns the recording: <see cref="CapturedStep{T}.Replay()"/> then re-runs the same kernels into the same
    /// tensors, with no per-step allocation and no per-op bookkeeping (argument checks, tape entries, the backward
    /// walk's queue). The capture itself is the step's first run: its updates are applied.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="step">
    /// The step on fixed tensors, returning the tensor to read after each replay (usually the loss). Recorded: ops
    /// that record a tape entry, <c>Backward()</c>, <c>Optimizer.Step()</c>, <c>Optimizer.ZeroGrad()</c> and
    /// <c>Tensor.ZeroGrad()</c>. Any other code in it runs once, now.
    /// </param>
    /// <returns>The captured step; its <see cref="CapturedStep{T}.Inputs"/> are the data tensors to refill between replays.</returns>
    /// <remarks>
    /// <para>PyTorch: <c>torch.cuda.CUDAGraph</c> captured with <c>with torch.cuda.graph(g):</c> around
    /// <c>static_loss = loss_fn(model(static_input), static_target); static_loss.backward(); optimizer.step()</c>, then
    /// <c>static_input.copy_(batch); g.replay()</c>. As there, shapes are fixed, every tensor the step created is
    /// static (replay overwrites it, and the tensor <paramref name="step"/> returns holds the new loss), and a parameter
    /// whose gradient was null (or released by <c>ZeroGrad()</c>) when the captured <c>Backward()</c> ran gets it
    /// overwritten by each replay, as after <c>zero_grad(set_to_none=True)</c>; one that held a gradient gets each
    /// replay's gradient added. Unlike a CUDA graph, capturing runs the step, and a replay's optimizer step reads the
    /// learning rate then set, so schedules work between replays.</para>
    /// <para>With an optimizer's <c>StepInBackward</c> on, the step is <c>loss.Backward()</c> alone and each replay
    /// steps inside its backward as the eager walk does (Linear's fused SGD update included); turning the setting off
    /// or on after the capture makes <c>Replay</c> throw.</para>
    /// <para>Replay gives the same values as the same eager steps, bit for bit. Ops with a replay kernel: Linear,
    /// MatMul (2-D), Sigmoid, BinaryCrossEntropyWithLogits, MseLoss; any other recorded op is refused.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="step"/> is null or returns null.</exception>
    /// <exception cref="NotSupportedException">
    /// The step records an op that cannot be replayed, reads a tensor created during the capture that replay would not
    /// recompute, or uses <c>createGraph</c>, <c>Autograd.Grad</c> or anomaly detection; the message names it.
    /// </exception>
    /// <exception cref="InvalidOperationException">Called inside another capture, or the step recorded nothing.</exception>
    public static CapturedStep<T> CaptureStep<T>(Func<Tensor<T>> step)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(step);
        if (IsAnomalyDetectionEnabled)
        {
            throw new NotSupportedException("Autograd.CaptureStep: anomaly detection is on; a replay checks nothing, so capture outside DetectAnomaly().");
        }

        StepCapture capture = StepCapture.Begin();
        Tensor<T> output;
        try
        {
            output = step() ?? throw new ArgumentNullException(nameof(step), "Autograd.CaptureStep: the step returned null; return the tensor to read after each replay (the loss).");
            capture.RequireReplayable(output, "the tensor the step returned");
        }
        finally
        {
            StepCapture.End();
        }

        if (!capture.Produced(output))
        {
            throw new InvalidOperationException(
                $"Autograd.CaptureStep: the step returned a tensor (shape {output.Shape}) that no captured op produced; return the loss, so each replay's value can be read from it.");
        }

        return new CapturedStep<T>(capture, output);
    }
}

/// <summary>
/// A training step recorded by <see cref="Autograd.CaptureStep{T}"/>: the step's kernels over fixed tensors, re-run by
/// <see cref="Replay()"/> in the order they first ran.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>PyTorch: <c>torch.cuda.CUDAGraph</c> (<c>g.replay()</c>). Replay on the thread that captured the step.</remarks>
public sealed class CapturedStep<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Action[] _kernels;
    private readonly Tensor<T>[] _inputs;
    private readonly int _thread = Environment.CurrentManagedThreadId;

    internal CapturedStep(StepCapture capture, Tensor<T> output)
    {
        _kernels = capture.Kernels.ToArray();
        var inputs = new List<Tensor<T>>();
        foreach (object input in capture.Inputs)
        {
            if (input is Tensor<T> tensor)
            {
                inputs.Add(tensor);
            }
        }

        _inputs = inputs.ToArray();
        Output = output;
    }

    /// <summary>The tensor the step returned (the loss): each replay overwrites its values.</summary>
    public Tensor<T> Output { get; }

    /// <summary>
    /// The tensors the step read that existed before the capture and need no gradient (the batch and its targets), in
    /// the order the step first read them: copy the next batch into them, or pass it to <see cref="Replay(ReadOnlySpan{Tensor{T}})"/>.
    /// </summary>
    public IReadOnlyList<Tensor<T>> Inputs => _inputs;

    /// <summary>The number of recorded kernels (forward ops, backward walks, optimizer calls) one replay runs.</summary>
    public int KernelCount => _kernels.Length;

    /// <summary>Runs the captured step again on the current values of its inputs and parameters.</summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the capture's, or inside a capture.</exception>
    public void Replay()
    {
        ThrowUnlessReplayableHere();
        foreach (Action kernel in _kernels)
        {
            kernel();
        }
    }

    /// <summary>Copies <paramref name="inputs"/> into <see cref="Inputs"/> (same order), then replays the step.</summary>
    /// <param name="inputs">One tensor per captured input, each of that input's shape.</param>
    /// <exception cref="ArgumentException">The count or a shape differs from the captured inputs; the message names the input and both shapes.</exception>
    /// <exception cref="InvalidOperationException">As <see cref="Replay()"/>.</exception>
    public void Replay(params ReadOnlySpan<Tensor<T>> inputs)
    {
        ThrowUnlessReplayableHere();
        if (inputs.Length != _inputs.Length)
        {
            throw new ArgumentException($"CapturedStep.Replay got {inputs.Length} inputs; the step was captured reading {_inputs.Length}.", nameof(inputs));
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i], nameof(inputs));
            if (inputs[i].Shape != _inputs[i].Shape)
            {
                throw new ArgumentException(
                    $"CapturedStep.Replay: input {i} has shape {inputs[i].Shape}, but the step was captured with {_inputs[i].Shape}. " +
                    "A captured step replays fixed shapes (as a CUDA graph does); capture another step for this shape, or run it eagerly.",
                    nameof(inputs));
            }
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!ReferenceEquals(inputs[i], _inputs[i]))
            {
                _inputs[i].CopyFrom(inputs[i].KernelReadSpan); // the caller's batch stays poolable (inputs holds it)
            }
        }

        Replay();
    }

    private void ThrowUnlessReplayableHere()
    {
        if (Environment.CurrentManagedThreadId != _thread || StepCapture.Current is not null)
        {
            throw new InvalidOperationException(StepCapture.Current is not null
                ? "CapturedStep.Replay was called inside Autograd.CaptureStep; replay a step outside any capture."
                : "CapturedStep.Replay was called on another thread than the one that captured the step; replay it where it was captured.");
        }
    }
}
