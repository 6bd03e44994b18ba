using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <summary>The backward walk: from a root, every reachable node once, latest first, then freeing what was walked.</summary>
public sealed partial class Tape
{
    internal static void RunBackward<T>(Tensor<T> root, Tensor<T>? gradOutput, bool retainGraph)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (StepCapture.Current is { } capture && Current._captured is null)
        {
            RunCapturedBackward(capture, root, gradOutput, retainGraph);
            return;
        }

        ValidateRoot(root, gradOutput);
        if (root.IsLeaf)
        {
            // Differentiating a leaf with respect to itself: its gradient is the seed.
            AddSeed(root, gradOutput, mayBorrow: false);
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
        AddSeed(root, gradOutput, mayBorrow: true);
        tape.Walk(rootNode, retainGraph, root, root.StorageIdentity); // identity only: exposing the storage would drop it from the pool
        GC.KeepAlive(gradOutput); // a lent seed's array must not go back to StoragePool during the walk
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
        bool inBackward = !nested && InBackward.IsActive;
        try
        {
            if (inBackward)
            {
                // An optimizer steps in this walk: count its parameters' uses first (a pass with its own stamp).
                InBackward.BeginWalk(rootNode, stamp);
                stamp = NextWalkStamp();
            }

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
                RunRule(node, checkVersions: true);
                if (!nested)
                {
                    _captured?.Add(node);
                }

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

            if (inBackward)
            {
                InBackward.EndWalk(completed);
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

        // A captured step keeps its intermediates: replay recomputes them in place.
        bool recycle = !retainGraph && Autograd.IsRecyclingIntermediates && StepCapture.Current is null;
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

    // The root's gradient starts as gradOutput (1 for a scalar root). With mayBorrow, a non-leaf root borrows
    // gradOutput's array when nothing the walk writes can share it (Tensor.TryBorrowSeed; never while an optimizer steps
    // in backward, which writes parameters). Otherwise a fresh buffer takes a copy in one pass (not clear + add), one
    // already holding a gradient gets it added; kernel spans leave an undisposed gradOutput tracked by StoragePool.
    private static void AddSeed<T>(Tensor<T> root, Tensor<T>? gradOutput, bool mayBorrow)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (gradOutput is not null && mayBorrow && !InBackward.IsActive && root.TryBorrowSeed(gradOutput))
        {
            return;
        }

        Span<T> seed = root.GradBuffer(out bool accumulate);
        if (gradOutput is null)
        {
            seed[0] = accumulate ? seed[0] + T.One : T.One;
        }
        else if (accumulate)
        {
            InPlace.Add(seed, gradOutput.KernelReadSpan);
        }
        else
        {
            gradOutput.KernelReadSpan.CopyTo(seed);
        }

        GC.KeepAlive(gradOutput);
    }
}
