using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <summary>Backward walks inside <see cref="Autograd.CaptureStep{T}"/>: the walk as it ran, kept as a list that replay repeats.</summary>
public sealed partial class Tape
{
    // The nodes the walk under capture ran, in order; null outside a capture.
    private List<TapeEntry>? _captured;

    /// <summary>
    /// Runs <see cref="RunBackward{T}"/> under a capture and adds the kernel that repeats it: the leaves whose gradient
    /// was null (or released by <c>ZeroGrad()</c>) when it ran get it overwritten by each replay, the others added to.
    /// </summary>
    private static void RunCapturedBackward<T>(StepCapture capture, Tensor<T> root, Tensor<T>? gradOutput, bool retainGraph)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ValidateRoot(root, gradOutput);
        capture.RequireReplayable(root, "the tensor Backward() was called on");
        if (gradOutput is not null)
        {
            capture.RequireReplayable(gradOutput, "the gradient passed to Backward()");
        }

        Tensor<T>[] released = ReleasedLeaves(root);
        Tape tape = Current;
        tape._captured = new List<TapeEntry>();
        try
        {
            RunBackward(root, gradOutput, retainGraph);
            var walk = new CapturedWalk<T>(tape, root, gradOutput, tape._captured.ToArray(), released, root.Creator is not null && InBackward.IsActive);
            capture.Add(walk.Replay);
        }
        finally
        {
            tape._captured = null;
        }
    }

    /// <summary>The leaves reachable from <paramref name="root"/> that need a gradient and hold none now.</summary>
    private static Tensor<T>[] ReleasedLeaves<T>(Tensor<T> root)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var leaves = new List<Tensor<T>>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor<T>>();
        stack.Push(root);
        while (stack.TryPop(out Tensor<T>? tensor))
        {
            if (!seen.Add(tensor))
            {
                continue;
            }

            if (tensor.Creator is null)
            {
                if (tensor.RequiresGrad && tensor.Grad is null)
                {
                    leaves.Add(tensor);
                }

                continue;
            }

            if (tensor.Creator is not TapeEntry<T> node)
            {
                throw new NotSupportedException(
                    $"Autograd.CaptureStep: the graph behind Backward() mixes element types ({tensor.Creator.OpName}); a captured step replays one element type.");
            }

            foreach (Tensor<T> input in node.Inputs)
            {
                stack.Push(input);
            }
        }

        return leaves.ToArray();
    }

    /// <summary>The outputs of <paramref name="nodes"/> that retain their gradient (<c>RetainGrad()</c>).</summary>
    private static Tensor<T>[] RetainingOutputs<T>(TapeEntry[] nodes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var retaining = new List<Tensor<T>>();
        foreach (TapeEntry node in nodes)
        {
            if (node is TapeEntry<T> { Output.RetainsGrad: true } entry)
            {
                retaining.Add(entry.Output);
            }
        }

        return retaining.ToArray();
    }

    /// <summary>
    /// A captured backward walk, repeated: the same rules in the same order, without the walk's queue, stamps, staleness
    /// and version checks (replay recomputed every saved tensor in order, so each rule reads this step's values). With
    /// an optimizer stepping in backward at capture, each replay counts the parameters' uses and steps as the walk did.
    /// </summary>
    private sealed class CapturedWalk<T>(Tape tape, Tensor<T> root, Tensor<T>? gradOutput, TapeEntry[] nodes, Tensor<T>[] released, bool inBackward)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly Tensor<T>[] _retaining = RetainingOutputs<T>(nodes);

        public void Replay()
        {
            if (InBackward.IsActive != inBackward && root.Creator is not null)
            {
                throw new InvalidOperationException(
                    $"CapturedStep.Replay: an optimizer's StepInBackward was {(inBackward ? "on" : "off")} when the step was captured and is " +
                    $"{(inBackward ? "off" : "on")} now; a replay repeats the captured updates only. Restore the setting, or capture the step again.");
            }

            foreach (Tensor<T> leaf in released)
            {
                leaf.ReleaseGrad();
            }

            // An eager step's intermediates are new tensors, so a retained gradient starts afresh each step; here too.
            foreach (Tensor<T> output in _retaining)
            {
                output.Grad = null;
            }

            if (inBackward)
            {
                InBackward.BeginWalk(root.Creator!, tape.NextWalkStamp());
            }

            AddSeed(root, gradOutput, mayBorrow: false); // a captured step keeps the copy: borrowing is for the eager walk
            bool completed = false;
            try
            {
                foreach (TapeEntry node in nodes)
                {
                    if (node.HasOutputGradient)
                    {
                        RunRule(node, checkVersions: false);
                    }
                }

                completed = true;
            }
            finally
            {
                if (!completed)
                {
                    foreach (TapeEntry node in nodes)
                    {
                        node.ReleaseOutputGradient();
                    }
                }

                tape.FlushHookedLeaves(completed);
                if (inBackward)
                {
                    InBackward.EndWalk(completed);
                }
            }
        }
    }

    /// <summary>One node's step of a walk: hooks on its output gradient, its rule, then the output gradient freed.</summary>
    private static void RunRule(TapeEntry node, bool checkVersions)
    {
        node.InterceptOutputGradient();
        if (checkVersions)
        {
            node.CheckSavedVersions();
        }

        node.Backward();
        node.ReleaseOutputGradient();
    }
}
