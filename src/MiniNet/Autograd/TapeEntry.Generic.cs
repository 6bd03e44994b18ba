using System;
using System.Collections.Generic;
using System.Numerics;

namespace MiniNet;

/// <summary>A tape entry over tensors of element type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// Ops derive from this in their own file: <c>file sealed class XBackward&lt;T&gt; : TapeEntry&lt;T&gt;</c>, constructed
/// with the output and any number of inputs, and recorded with <see cref="Tape.Record{T}"/>. By default a node saves
/// every input and its output (their versions are checked before its backward runs); a node that reads fewer calls
/// <see cref="SaveForBackward"/> in its constructor, so in-place writes to what it does not read stay legal.
/// </remarks>
internal abstract partial class TapeEntry<T> : TapeEntry
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Inputs held inline (no array per op) up to this many; more go to an array (Cat, Stack).</summary>
    private const int InlineInputs = 3;

    /// <summary>Bit of <see cref="_savedMask"/> for the output.</summary>
    private const ulong OutputBit = 1UL << 63;

    private readonly InputArray _inputArray;
    private readonly VersionArray _inputVersions;
    // Inputs past InlineInputs and the redirect of BackwardAsTensors, in one object that most entries never
    // allocate: four reference fields fewer in every entry (the training step records four per step).
    private Rare? _rare;
    private readonly int _inputCount;

    // Which tensors backward reads: bit i for input i (inputs past 62 share bit 62), OutputBit for the output.
    private ulong _savedMask = ulong.MaxValue;

    protected TapeEntry(Tensor<T> output, params ReadOnlySpan<Tensor<T>> inputs)
    {
        Output = output;
        _inputCount = inputs.Length;
        if (inputs.Length > InlineInputs)
        {
            _rare = new Rare { ManyInputs = inputs.ToArray(), ManyVersions = new int[inputs.Length] };
            for (int i = 0; i < inputs.Length; i++)
            {
                _rare.ManyVersions[i] = inputs[i].Version;
            }

            return;
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            _inputArray[i] = inputs[i];
            _inputVersions[i] = inputs[i].Version;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(InlineInputs)]
    private struct InputArray
    {
        private Tensor<T> _element;
    }

    [System.Runtime.CompilerServices.InlineArray(InlineInputs)]
    private struct VersionArray
    {
        private int _element;
    }

    /// <summary>The tensor this op produced.</summary>
    public Tensor<T> Output { get; }

    /// <summary>The inputs, in the op's argument order.</summary>
    public ReadOnlySpan<Tensor<T>> Inputs => _rare?.ManyInputs ?? ((ReadOnlySpan<Tensor<T>>)_inputArray)[.._inputCount];

    /// <summary>The output's version when the entry was recorded.</summary>
    public int OutputVersion { get; set; }

    /// <summary>The gradient flowing into <see cref="Output"/>.</summary>
    protected ReadOnlySpan<T> GradOutput => _rare?.RedirectGradOutput is { } g ? g.AsReadOnlySpan() : Output.CurrentGradient();

    /// <inheritdoc/>
    public override bool HasOutputGradient => Output.TransientGrad is not null;

    /// <inheritdoc/>
    public override void ReleaseOutputGradient() => Output.ReleaseTransientGrad();

    /// <inheritdoc/>
    public override void InterceptOutputGradient() => Output.InterceptTransientGradient();

    /// <inheritdoc/>
    public sealed override void ReleaseOutputStorage(object keep, object keepStorage)
    {
        if (!ReferenceEquals(Output, keep))
        {
            Output.ReleaseStorage(keepStorage);
        }

        ReleaseSaved();
    }

    /// <summary>
    /// Gives back scratch this entry saved for its backward (a mask, indices, a derivative) when backward recycles the
    /// tape; a recycled entry never runs backward again. Nothing by default.
    /// </summary>
    protected virtual void ReleaseSaved()
    {
    }

    /// <summary>
    /// Declares exactly what backward reads (PyTorch: <c>ctx.save_for_backward</c>): the output when
    /// <paramref name="output"/> is true, and the inputs at <paramref name="inputs"/>. Only these are version-checked.
    /// Without a call, every input and the output count as saved.
    /// </summary>
    protected void SaveForBackward(bool output, params ReadOnlySpan<int> inputs)
    {
        ulong mask = output ? OutputBit : 0;
        foreach (int i in inputs)
        {
            mask |= 1UL << Math.Min(i, 62);
        }

        _savedMask = mask;
    }

    /// <summary>
    /// The gradient buffer of input <paramref name="i"/> to accumulate into (allocated zeroed on first use), or an
    /// empty span when that input needs no gradient. Backward rules add into it: a tensor used twice gets the sum.
    /// </summary>
    protected Span<T> GradFor(int i)
    {
        Tensor<T> input = Inputs[i];
        if (!input.RequiresGrad)
        {
            return default;
        }

        return _rare?.RedirectGrads is { } redirect ? RedirectedGrad(redirect, i) : input.GradBuffer();
    }

    /// <summary>
    /// Like <see cref="GradFor(int)"/>, but the buffer may hold stale values when <paramref name="accumulate"/> is
    /// false: the rule must then overwrite every element instead of adding.
    /// </summary>
    protected Span<T> GradFor(int i, out bool accumulate)
    {
        Tensor<T> input = Inputs[i];
        if (!input.RequiresGrad)
        {
            accumulate = true;
            return default;
        }

        if (_rare?.RedirectGrads is { } redirect)
        {
            accumulate = true;
            return RedirectedGrad(redirect, i);
        }

        return input.GradBuffer(out accumulate);
    }

    /// <summary>True when input <paramref name="i"/> needs a gradient.</summary>
    protected bool NeedsGrad(int i) => Inputs[i].RequiresGrad;

    private int RecordedVersion(int i) => _rare?.ManyVersions is { } many ? many[i] : _inputVersions[i];

    /// <inheritdoc/>
    public override void CheckSavedVersions()
    {
        ReadOnlySpan<Tensor<T>> inputs = Inputs;
        for (int i = 0; i < inputs.Length; i++)
        {
            if ((_savedMask & (1UL << Math.Min(i, 62))) != 0 && inputs[i].Version != RecordedVersion(i))
            {
                throw new InvalidOperationException(
                    $"Input {i} (shape {inputs[i].Shape}) of {OpName}, recorded at tape position {Sequence}, was modified in place " +
                    "after the op used it, so its gradient can no longer be computed. Modify a copy instead " +
                    "(Detach() gives one), or make the change before the forward pass or after Backward().");
            }
        }

        if ((_savedMask & OutputBit) != 0 && Output.Version != OutputVersion)
        {
            throw new InvalidOperationException(
                $"The output (shape {Output.Shape}) of {OpName}, recorded at tape position {Sequence}, was modified in place " +
                "after it was computed; backward needs the original values. Modify a Detach()ed copy instead.");
        }
    }

    /// <inheritdoc/>
    public override void NoteInBackwardUses(List<TapeEntry> stack, int stamp)
    {
        foreach (Tensor<T> input in Inputs)
        {
            NoteInBackwardUse(input, stack, stamp);
        }
    }

    /// <summary>One input's part of <see cref="NoteInBackwardUses"/> (an input of any element type).</summary>
    protected static void NoteInBackwardUse<TInput>(Tensor<TInput> input, List<TapeEntry> stack, int stamp)
        where TInput : unmanaged, IBinaryFloatingPointIeee754<TInput>
    {
        if (input.Creator is not { } node)
        {
            if (input.RequiresGrad)
            {
                InBackward<TInput>.NoteUse(input);
            }
        }
        else if (node.WalkStamp != stamp)
        {
            node.WalkStamp = stamp;
            stack.Add(node);
        }
    }

    /// <inheritdoc/>
    public override void EnqueueInputNodes(PriorityQueue<TapeEntry, long> queue, int stamp)
    {
        foreach (Tensor<T> input in Inputs)
        {
            if (input.Creator is { } node && node.WalkStamp != stamp)
            {
                node.WalkStamp = stamp;
                queue.Enqueue(node, -node.Sequence);
            }
        }
    }

    /// <inheritdoc/>
    public override string DescribeInputs()
    {
        ReadOnlySpan<Tensor<T>> inputs = Inputs;
        var parts = new string[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            parts[i] = inputs[i].Shape.ToString();
        }

        return string.Join(", ", parts);
    }

    /// <inheritdoc/>
    public override void CheckOutputFinite() => Anomaly.ThrowIfNotFinite(this, "forward output", Output.KernelReadSpan);

    /// <inheritdoc/>
    public override void CheckInputGradientsFinite()
    {
        ReadOnlySpan<Tensor<T>> inputs = Inputs;
        for (int i = 0; i < inputs.Length; i++)
        {
            Anomaly.ThrowIfNotFinite(this, $"gradient of input {i}", inputs[i].CurrentGradient());
        }
    }
}
