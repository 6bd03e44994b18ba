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
public sealed class Tape
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
        if (Autograd.IsAnomalyDetectionEnabled)
        {
            entry.RecordedAt = new StackTrace(2, fNeedFileInfo: true);
            entry.CheckOutputFinite();
        }
    }

    internal static void RunBackward<T>(Tensor<T> root, Tensor<T>? gradOutput, bool retainGraph)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ValidateRoot(root, gradOutput);
        if (root.IsLeaf)
        {
            // Differentiating a leaf with respect to itself: its gradient is the seed.
            AddSeed(root.GradBuffer(), gradOutput);
            Current.FlushHookedLeaves(completed: true);
            return;
        }

        Tape tape = Current;
        TapeEntry rootNode = root.Creator!;
        if (rootNode.Owner != tape)
        {
            throw new InvalidOperationException(
                "Backward() was called on a thread other than the one that recorded this tensor. Each thread has its own tape; call Backward() where the forward pass ran.");
        }

        ThrowIfStale(rootNode);

        // Allocated only now: a gradient left on a non-leaf by a rejected call would make a later walk run its entry.
        AddSeed(root.GradBuffer(), gradOutput);
        tape.Walk(rootNode, retainGraph, root, root.Storage);
    }

    private static void ValidateRoot<T>(Tensor<T> root, Tensor<T>? gradOutput)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!root.RequiresGrad)
        {
            throw new InvalidOperationException(
                $"Backward() was called on a tensor (shape {root.Shape}) that does not require a gradient: no input of the ops " +
                "that produced it has RequiresGrad = true, or it was computed under Autograd.NoGrad().");
        }

        if (gradOutput is null && root.Count != 1)
        {
            throw new InvalidOperationException(
                $"Backward() without a gradient needs a one-element (scalar) tensor, but this one has shape {root.Shape}. " +
                "Reduce it first (Sum() or Mean()), or pass Backward(gradOutput) with the same shape.");
        }

        if (gradOutput is not null && gradOutput.Shape != root.Shape)
        {
            throw new ArgumentException($"Backward() got a gradient of shape {gradOutput.Shape} for a tensor of shape {root.Shape}.", nameof(gradOutput));
        }
    }

    internal static void ThrowIfStale(TapeEntry node)
    {
        if (node.IsStale)
        {
            throw new InvalidOperationException(
                $"Backward() reached {node.OpName} (tape position {node.Sequence}), whose graph was already freed by an earlier Backward(). " +
                "Pass retainGraph: true to the first Backward() to differentiate the same graph twice, or recompute the forward pass.");
        }
    }

    /// <summary>
    /// Runs every node reachable from <paramref name="rootNode"/> whose output holds a gradient, latest first, then
    /// frees the walked nodes unless <paramref name="retainGraph"/>.
    /// </summary>
    private void Walk(TapeEntry rootNode, bool retainGraph, object keep, object keepStorage)
    {
        bool nested = _walking;
        PriorityQueue<TapeEntry, long> queue = nested ? new() : _queue;
        List<TapeEntry> visited = nested ? new() : _visited;
        _walking = true;
        int stamp = NextWalkStamp();
        bool anomaly = Autograd.IsAnomalyDetectionEnabled;
        bool completed = false;
        try
        {
            rootNode.WalkStamp = stamp;
            queue.Enqueue(rootNode, -rootNode.Sequence);
            while (queue.TryDequeue(out TapeEntry? node, out _))
            {
                visited.Add(node);
                if (!node.HasOutputGradient)
                {
                    continue;
                }

                ThrowIfStale(node);
                node.InterceptOutputGradient();
                node.CheckSavedVersions();
                node.Backward();
                node.ReleaseOutputGradient();
                if (anomaly)
                {
                    node.CheckInputGradientsFinite();
                }

                node.EnqueueInputNodes(queue, stamp);
            }

            completed = true;
        }
        finally
        {
            Finish(visited, queue, completed, retainGraph, keep, keepStorage);
            if (!nested)
            {
                FlushHookedLeaves(completed);
            }

            _walking = nested;
        }
    }

    private void Finish(List<TapeEntry> visited, PriorityQueue<TapeEntry, long> queue, bool completed, bool retainGraph, object keep, object keepStorage)
    {
        while (queue.TryDequeue(out TapeEntry? pending, out _))
        {
            visited.Add(pending);
        }

        bool recycle = !retainGraph && Autograd.IsRecyclingIntermediates;
        foreach (TapeEntry node in visited)
        {
            if (!completed)
            {
                // A rule threw midway: drop the half-propagated transient gradients so nothing stale survives.
                node.ReleaseOutputGradient();
            }

            if (!retainGraph && !node.IsStale)
            {
                node.Freed = true;
                Count = Math.Max(0, Count - 1);
                if (recycle)
                {
                    node.ReleaseOutputStorage(keep, keepStorage);
                }
            }
        }

        visited.Clear();
    }

    /// <summary>Remembers a hooked leaf that collected a gradient apart in the current walk.</summary>
    internal void NoteHookedLeaf(IHookedTensor leaf) => _hookedLeaves.Add(leaf);

    /// <summary>Hands the gradients collected by hooked leaves over (running their hooks), or drops them after a failure.</summary>
    private void FlushHookedLeaves(bool completed)
    {
        if (_hookedLeaves.Count == 0)
        {
            return;
        }

        IHookedTensor[] leaves = [.. _hookedLeaves];
        _hookedLeaves.Clear();
        foreach (IHookedTensor leaf in leaves)
        {
            if (completed)
            {
                leaf.FlushHookedLeafGradient();
            }
            else
            {
                leaf.DiscardHookedLeafGradient();
            }
        }
    }

    /// <summary>A fresh walk id, so each walk queues a node once.</summary>
    internal int NextWalkStamp() => ++_walkStamp;

    /// <summary>Marks walked nodes freed (a backward pass without retainGraph).</summary>
    internal void Free(List<TapeEntry> walked)
    {
        foreach (TapeEntry node in walked)
        {
            if (!node.IsStale)
            {
                node.Freed = true;
                Count = Math.Max(0, Count - 1);
            }
        }
    }

    private static void AddSeed<T>(Span<T> seed, Tensor<T>? gradOutput)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (gradOutput is null)
        {
            seed[0] += T.One;
        }
        else
        {
            InPlace.Add(seed, gradOutput.AsReadOnlySpan());
        }
    }
}
