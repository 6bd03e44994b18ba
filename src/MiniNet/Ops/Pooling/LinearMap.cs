using System;
using System.Numerics;

namespace MiniNet;

/// <summary>
/// A fixed linear map <c>A</c> (pooling with its windows or argmax indices, a dropout mask) and its adjoint
/// <c>A^T</c>. The backward of a pooling op is <c>A^T</c>, whose backward is <c>A</c> again: recording both as
/// ops makes every order of derivative available (<c>createGraph: true</c>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal abstract class LinearMap<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    protected LinearMap(string name, Shape inputShape, Shape outputShape) => (Name, InputShape, OutputShape) = (name, inputShape, outputShape);

    /// <summary>The op's name in tape messages.</summary>
    public string Name { get; }

    /// <summary>The shape <c>A</c> maps from.</summary>
    public Shape InputShape { get; }

    /// <summary>The shape <c>A</c> maps to.</summary>
    public Shape OutputShape { get; }

    /// <summary><c>y = A x</c>, overwriting <paramref name="y"/>.</summary>
    public abstract void Apply(ReadOnlySpan<T> x, Span<T> y);

    /// <summary><c>x += A^T y</c>.</summary>
    public abstract void AddAdjoint(ReadOnlySpan<T> y, Span<T> x);
}

public static partial class Ops
{
    /// <summary><c>A x</c>, or <c>A^T x</c> when <paramref name="adjoint"/>, recorded so its own backward is the other one.</summary>
    internal static Tensor<T> ApplyLinearMap<T>(Tensor<T> x, LinearMap<T> map, bool adjoint)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Tensor<T> output;
        if (adjoint)
        {
            output = new Tensor<T>(map.InputShape);
            map.AddAdjoint(x.KernelReadSpan, output.KernelWriteSpan);
        }
        else
        {
            output = Tensor<T>.Uninitialized(map.OutputShape);
            map.Apply(x.KernelReadSpan, output.KernelWriteSpan);
        }

        if (Tape.ShouldRecord(x))
        {
            Tape.Record(new LinearMapBackward<T>(output, map, adjoint, x));
        }

        return output;
    }
}

/// <summary>Backward of <see cref="Ops.ApplyLinearMap{T}"/>: the map's adjoint (or, for the adjoint, the map).</summary>
file sealed class LinearMapBackward<T> : TapeEntry<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly LinearMap<T> _map;
    private readonly bool _adjoint;

    public LinearMapBackward(Tensor<T> output, LinearMap<T> map, bool adjoint, Tensor<T> x)
        : base(output, x)
    {
        (_map, _adjoint) = (map, adjoint);
        SaveForBackward(false);
    }

    public override string OpName => _adjoint ? _map.Name + "Backward" : _map.Name;

    // y = A x  =>  dx = A^T g;  y = A^T x  =>  dx = A g.
    public override void Backward()
    {
        Span<T> grad = GradFor(0);
        if (!_adjoint)
        {
            _map.AddAdjoint(GradOutput, grad);
            return;
        }

        T[] scratch = BufferPool<T>.Rent(grad.Length);
        _map.Apply(GradOutput, scratch.AsSpan(0, grad.Length));
        InPlace.Add(grad, scratch.AsSpan(0, grad.Length));
        BufferPool<T>.Return(scratch);
    }

    protected override Tensor<T>?[] DifferentiableBackward(Tensor<T> gradOutput) => [Ops.ApplyLinearMap(gradOutput, _map, !_adjoint)];
}
