using System;
using System.Diagnostics;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// One recorded op on the <see cref="Tape"/>: what its backward needs, and the rule that turns the gradient of
/// its output into gradients of its inputs.
/// </summary>
internal abstract class TapeEntry
{
    /// <summary>The op's name as users see it (<c>MatMul</c>, <c>BinaryCrossEntropyWithLogits</c>).</summary>
    public abstract string OpName { get; }

    /// <summary>Position on the tape.</summary>
    public int Index { get; set; }

    /// <summary>Where the op was recorded; only captured in anomaly mode.</summary>
    public StackTrace? RecordedAt { get; set; }

    /// <summary>True when the output received a gradient during the current backward walk.</summary>
    public abstract bool HasOutputGradient { get; }

    /// <summary>Accumulates input gradients from the output gradient.</summary>
    public abstract void Backward();

    /// <summary>Drops the output's transient gradient once this entry has consumed it.</summary>
    public abstract void ReleaseOutputGradient();

    /// <summary>Releases the output (unless it is <paramref name="keep"/>), never pooling the array <paramref name="keepStorage"/>.</summary>
    public abstract void ReleaseOutputStorage(object keep, object keepStorage);

    /// <summary>Throws when a tensor backward reads was modified in place after it was recorded.</summary>
    public abstract void CheckSavedVersions();

    /// <summary>Describes the inputs' shapes, for error messages.</summary>
    public abstract string DescribeInputs();

    /// <summary>Checks the gradients this entry just wrote (anomaly mode).</summary>
    public abstract void CheckInputGradientsFinite();

    /// <summary>Checks the forward output (anomaly mode).</summary>
    public abstract void CheckOutputFinite();
}

/// <summary>A tape entry over tensors of element type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal abstract class TapeEntry<T> : TapeEntry
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The most inputs an op has (Linear: x, weight, bias).</summary>
    private const int MaxInputs = 3;

    // Held inline, not in arrays: recording an op allocates only the entry itself.
    private readonly InputArray _inputArray;
    private readonly VersionArray _inputVersions;
    private readonly int _inputCount;

    protected TapeEntry(Tensor<T> output, params ReadOnlySpan<Tensor<T>> inputs)
    {
        if (inputs.Length > MaxInputs)
        {
            throw new ArgumentException($"A tape entry holds at most {MaxInputs} inputs; {GetType().Name} passed {inputs.Length}.", nameof(inputs));
        }

        Output = output;
        _inputCount = inputs.Length;
        for (int i = 0; i < inputs.Length; i++)
        {
            _inputArray[i] = inputs[i];
            _inputVersions[i] = inputs[i].Version;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(MaxInputs)]
    private struct InputArray
    {
        private Tensor<T> _element;
    }

    [System.Runtime.CompilerServices.InlineArray(MaxInputs)]
    private struct VersionArray
    {
        private int _element;
    }


    /// <summary>The tensor this op produced.</summary>
    public Tensor<T> Output { get; }

    /// <summary>The inputs, in the op's argument order.</summary>
    public ReadOnlySpan<Tensor<T>> Inputs => ((ReadOnlySpan<Tensor<T>>)_inputArray)[.._inputCount];

    /// <summary>The gradient flowing into <see cref="Output"/>.</summary>
    protected ReadOnlySpan<T> GradOutput => Output.CurrentGradient();

    /// <inheritdoc/>
    public override bool HasOutputGradient => Output.TransientGrad is not null;

    /// <inheritdoc/>
    public override void ReleaseOutputGradient() => Output.ReleaseTransientGrad();

    /// <inheritdoc/>
    public override void ReleaseOutputStorage(object keep, object keepStorage)
    {
        if (!ReferenceEquals(Output, keep))
        {
            Output.ReleaseStorage(keepStorage);
        }
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

        return input.GradBuffer();
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

        return input.GradBuffer(out accumulate);
    }

    /// <summary>True when input <paramref name="i"/> needs a gradient.</summary>
    protected bool NeedsGrad(int i) => Inputs[i].RequiresGrad;

    /// <inheritdoc/>
    public override void CheckSavedVersions()
    {
        for (int i = 0; i < Inputs.Length; i++)
        {
            if (Inputs[i].Version != _inputVersions[i])
            {
                throw new InvalidOperationException(
                    $"Input {i} (shape {Inputs[i].Shape}) of {OpName}, recorded at tape position {Index}, was modified in place " +
                    "after the op used it, so its gradient can no longer be computed. Modify a copy instead " +
                    "(Detach() gives one), or make the change before the forward pass or after Backward().");
            }
        }

        if (Output.Version != OutputVersion)
        {
            throw new InvalidOperationException(
                $"The output (shape {Output.Shape}) of {OpName}, recorded at tape position {Index}, was modified in place " +
                "after it was computed; backward needs the original values. Modify a Detach()ed copy instead.");
        }
    }

    /// <summary>The output's version when the entry was recorded.</summary>
    public int OutputVersion { get; set; }

    /// <inheritdoc/>
    public override string DescribeInputs()
    {
        var parts = new string[Inputs.Length];
        for (int i = 0; i < Inputs.Length; i++)
        {
            parts[i] = Inputs[i].Shape.ToString();
        }

        return string.Join(", ", parts);
    }

    /// <inheritdoc/>
    public override void CheckOutputFinite() => Anomaly.ThrowIfNotFinite(this, "forward output", Output.AsReadOnlySpan());

    /// <inheritdoc/>
    public override void CheckInputGradientsFinite()
    {
        for (int i = 0; i < Inputs.Length; i++)
        {
            Anomaly.ThrowIfNotFinite(this, $"gradient of input {i}", Inputs[i].CurrentGradient());
        }
    }
}
