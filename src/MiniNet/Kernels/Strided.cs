using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MiniNet;

/// <summary>
/// Copies between a strided layout (offset + Σ index[d] · stride[d] into a storage array) and a row-major buffer:
/// reading a non-contiguous view once, writing through one, and the scatter-add of a view's backward.
/// </summary>
/// <remarks>
/// Neighbouring dimensions that are contiguous with each other are merged first (a narrow of a matrix along its
/// columns walks as rows of runs), so the inner loop is as long as possible; a unit-stride run is a span copy or a
/// vectorised add. Strides of 0 (expanded dimensions) are allowed when reading and in the scatter-add, where each
/// repeated element receives the sum of its copies' gradients.
/// </remarks>
internal static class Strided
{
    private enum Mode
    {
        Gather,
        Scatter,
        ScatterAdd,
        GatherAdd,
    }

    /// <summary><c>dense[i] = storage[offset + strided(i)]</c> for every row-major index <c>i</c> of <paramref name="dims"/>.</summary>
    public static void Gather<T>(ReadOnlySpan<T> storage, int offset, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, Span<T> dense)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Walk(Mode.Gather, Writable(storage), offset, dims, strides, dense);

    /// <summary><c>storage[offset + strided(i)] = dense[i]</c>: writes through a view whose elements do not overlap.</summary>
    public static void Scatter<T>(ReadOnlySpan<T> dense, Span<T> storage, int offset, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Walk(Mode.Scatter, storage, offset, dims, strides, Writable(dense));

    /// <summary><c>target[offset + strided(i)] += dense[i]</c>: a view's gradient added into its base's gradient.</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> dense, Span<T> target, int offset, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Walk(Mode.ScatterAdd, target, offset, dims, strides, Writable(dense));

    /// <summary><c>dense[i] += source[offset + strided(i)]</c>: the adjoint of <see cref="ScatterAdd{T}"/>.</summary>
    public static void GatherAdd<T>(ReadOnlySpan<T> source, int offset, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, Span<T> dense)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Walk(Mode.GatherAdd, Writable(source), offset, dims, strides, dense);

    // The walk reads or writes either side depending on the mode; the public entry points keep read-only inputs unwritten.
    private static Span<T> Writable<T>(ReadOnlySpan<T> span) => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(span), span.Length);

    private static void Walk<T>(Mode mode, Span<T> storage, int offset, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, Span<T> dense)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int count = 1;
        foreach (int d in dims)
        {
            count *= d;
        }

        if (count == 0)
        {
            return;
        }

        // Merge dimension i into i + 1 when stepping along i equals running off the end of i + 1; drop size-1 dims.
        Span<int> size = stackalloc int[Math.Max(dims.Length, 1)];
        Span<int> step = stackalloc int[Math.Max(dims.Length, 1)];
        int rank = 0;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 1)
            {
                continue;
            }

            if (rank > 0 && step[rank - 1] == strides[i] * dims[i])
            {
                size[rank - 1] *= dims[i];
                step[rank - 1] = strides[i];
                continue;
            }

            size[rank] = dims[i];
            step[rank] = strides[i];
            rank++;
        }

        if (rank == 0)
        {
            (size[0], step[0], rank) = (1, 1, 1);
        }

        int inner = size[rank - 1], innerStep = step[rank - 1], outerRank = rank - 1;
        Span<int> index = stackalloc int[Math.Max(outerRank, 1)];
        index.Clear();
        int position = offset;
        for (int done = 0; done < count; done += inner)
        {
            Run(mode, storage, position, inner, innerStep, dense.Slice(done, inner));

            // Odometer over the outer dimensions.
            for (int d = outerRank - 1; d >= 0; d--)
            {
                position += step[d];
                if (++index[d] < size[d])
                {
                    break;
                }

                position -= step[d] * size[d];
                index[d] = 0;
            }
        }
    }

    private static void Run<T>(Mode mode, Span<T> storage, int start, int length, int stride, Span<T> dense)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (stride == 1)
        {
            Span<T> run = storage.Slice(start, length);
            switch (mode)
            {
                case Mode.Gather: run.CopyTo(dense); return;
                case Mode.Scatter: dense.CopyTo(run); return;
                case Mode.ScatterAdd: InPlace.Add(run, dense); return;
                default: InPlace.Add(dense, run); return;
            }
        }

        for (int i = 0, p = start; i < length; i++, p += stride)
        {
            switch (mode)
            {
                case Mode.Gather: dense[i] = storage[p]; break;
                case Mode.Scatter: storage[p] = dense[i]; break;
                case Mode.ScatterAdd: storage[p] += dense[i]; break;
                default: dense[i] += storage[p]; break;
            }
        }
    }
}
