using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// The calling thread's recorder: numbers every differentiable op in execution order and runs backward walks.
/// It keeps no list of ops: each recorded op (a graph node) is kept alive by the tensors that depend on it, so a
/// graph no tensor references any more is garbage-collected, and independent graphs never interfere.
/// </summary>
/// <remarks>
/// <see cref="Tensor{T}.Backward"/> visits only the nodes reachable from its root, each once, in decreasing sequence
/// number (a max-heap): a node's inputs were recorded before it, so this order is topological without a sort and
/// without recursion. Threading model: each thread has its own tape (<see cref="Current"/>), and a graph must be
/// built and differentiated on one thread; using a tensor recorded on one thread in a recorded op on another throws.
/// Backward frees the nodes it walked (unless <c>retainGraph</c> is true); tensors produced by them can then no
/// longer be differentiated through.
/// </remarks>
public sealed partial class Tape
{
    [ThreadStatic]
    private static Tape? t_current;

    private readonly PriorityQueue<TapeEntry, long> _queue = new();
    private readonly List<TapeEntry> _visited = new();
    private readonly List<IHookedTensor> _hookedLeaves = new();
    private long _nextSequence;
    private int _walkStamp;
    private bool _walking;

    private Tape()
    {
    }

    /// <summary>The calling thread's tape.</summary>
    public static Tape Current => t_current ??= new Tape();

    /// <summary>
    /// The number of ops recorded on this thread that no backward pass has freed yet, since the last <see cref="Clear"/>.
    /// It counts, it does not hold: a graph nobody references is collected even while it is counted here.
    /// </summary>
    public int Count { get; private set; }

    /// <summary>Incremented by <see cref="Clear"/>; nodes recorded under an older generation are stale.</summary>
    internal int Generation { get; private set; }

    /// <summary>
    /// Marks every op recorded on this thread so far as freed (tensors recorded before can no longer be
    /// differentiated through) and resets <see cref="Count"/>. Not needed to release memory any more.
    /// </summary>
    public void Clear()
    {
        Count = 0;
        Generation++;
    }

    /// <summary>True when an op over these inputs must be recorded: grad mode is on and an input requires a gradient.</summary>
    internal static bool ShouldRecord<T>(Tensor<T> a)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => a.RequiresGrad && Autograd.IsGradEnabled;

    /// <inheritdoc cref="ShouldRecord{T}(Tensor{T})"/>
    internal static bool ShouldRecord<T>(Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => (a.RequiresGrad || b.RequiresGrad) && Autograd.IsGradEnabled;

    /// <inheritdoc cref="ShouldRecord{T}(Tensor{T})"/>
    internal static bool ShouldRecord<T>(params ReadOnlySpan<Tensor<T>> inputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!Autograd.IsGradEnabled)
        {
            return false;
        }

        foreach (Tensor<T> input in inputs)
        {
            if (input.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Numbers <paramref name="entry"/> and makes it the creator of its output.</summary>
    internal static void Record<T>(TapeEntry<T> entry)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tape tape = Current;
        foreach (Tensor<T> input in entry.Inputs)
        {
            if (input.Creator is { } creator && (creator.Owner != tape || creator.IsStale))
            {
                throw new InvalidOperationException(creator.Owner != tape
                    ? $"{entry.OpName} got an input (shape {input.Shape}) recorded on another thread's tape. Each thread has its own tape; " +
                      "build and differentiate a graph on one thread, or pass Detach()ed copies between threads."
                    : $"{entry.OpName} got an input (shape {input.Shape}) whose tape was already freed by Backward(). " +
                      "Recompute it in this forward pass, call Detach() to use its values as a constant, or pass retainGraph: true to the earlier Backward().");
            }
        }

        entry.Sequence = tape._nextSequence++;
        entry.Owner = tape;
        entry.Generation = tape.Generation;
        entry.OutputVersion = entry.Output.Version;
        tape.Count++;
        entry.Output.SetCreator(entry);
        StepCapture.Current?.AddForward(entry);
        if (Autograd.IsAnomalyDetectionEnabled)
        {
            entry.RecordedAt = new StackTrace(2, fNeedFileInfo: true);
            entry.CheckOutputFinite();
        }
    }
}
