using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace MiniNet;

/// <summary>
/// One recorded op (a node of the autograd graph): what its backward needs, and the rule that turns the gradient
/// of its output into gradients of its inputs. A node is kept alive by the tensors that depend on it (output
/// tensor -> its creator -> the input tensors -> their creators), never by a global list.
/// </summary>
internal abstract class TapeEntry
{
    /// <summary>The op's name as users see it (<c>MatMul</c>, <c>BinaryCrossEntropyWithLogits</c>).</summary>
    public abstract string OpName { get; }

    /// <summary>The per-thread sequence number: later ops have larger numbers, so a node always follows its inputs' nodes.</summary>
    public long Sequence { get; set; }

    /// <summary>The tape (thread) that recorded the node.</summary>
    public Tape? Owner { get; set; }

    /// <summary>The owner's generation when recorded; <see cref="Tape.Clear"/> makes older nodes stale.</summary>
    public int Generation { get; set; }

    /// <summary>True once a backward pass without <c>retainGraph</c> went through this node.</summary>
    public bool Freed { get; set; }

    /// <summary>True when the node can no longer be differentiated through (freed by Backward or by <see cref="Tape.Clear"/>).</summary>
    public bool IsStale => Freed || Owner is null || Generation != Owner.Generation;

    /// <summary>The id of the backward walk that last queued this node (so each walk visits it once).</summary>
    public int WalkStamp { get; set; }

    /// <summary>Where the op was recorded; only captured in anomaly mode.</summary>
    public StackTrace? RecordedAt { get; set; }

    /// <summary>True when the output received a gradient during the current backward walk.</summary>
    public abstract bool HasOutputGradient { get; }

    /// <summary>Runs the output's hooks and RetainGrad on its complete gradient, before the rule reads it.</summary>
    public abstract void InterceptOutputGradient();

    /// <summary>Accumulates input gradients from the output gradient.</summary>
    public abstract void Backward();

    /// <summary>True when <see cref="ReplayForward"/> can recompute the output, so the op can be part of a <see cref="CapturedStep{T}"/>.</summary>
    public virtual bool CanReplayForward => false;

    /// <summary>
    /// Recomputes the output in place from the inputs' current values with the op's forward kernel (a captured step's
    /// replay); ops that support it override this and <see cref="CanReplayForward"/>.
    /// </summary>
    public virtual void ReplayForward() =>
        throw new NotSupportedException($"{OpName} cannot be replayed in a captured step.");

    /// <summary>Drops the output's transient gradient once this entry has consumed it.</summary>
    public abstract void ReleaseOutputGradient();

    /// <summary>Releases the output (unless it is <paramref name="keep"/>), never pooling the array <paramref name="keepStorage"/>.</summary>
    public abstract void ReleaseOutputStorage(object keep, object keepStorage);

    /// <summary>Throws when a tensor this node saved for backward was modified in place after it was recorded.</summary>
    public abstract void CheckSavedVersions();

    /// <summary>Describes the inputs' shapes, for error messages.</summary>
    public abstract string DescribeInputs();

    /// <summary>Checks the gradients this entry just wrote (anomaly mode).</summary>
    public abstract void CheckInputGradientsFinite();

    /// <summary>Checks the forward output (anomaly mode).</summary>
    public abstract void CheckOutputFinite();

    /// <summary>
    /// Pushes the creators of the inputs not yet stamped <paramref name="stamp"/> onto <paramref name="stack"/> and
    /// counts each leaf input as a use for <see cref="InBackward"/> (the pass before a walk with an optimizer in it).
    /// </summary>
    public abstract void NoteInBackwardUses(List<TapeEntry> stack, int stamp);

    /// <summary>Adds the creators of the inputs that need a gradient to the walk's queue (each once per walk).</summary>
    public abstract void EnqueueInputNodes(PriorityQueue<TapeEntry, long> queue, int stamp);

    /// <summary>Runs this node in a tensor-valued walk: reads its output's gradient from <paramref name="walk"/> and hands its inputs theirs.</summary>
    public abstract void StepTensorWalk(TensorWalk walk);
}
