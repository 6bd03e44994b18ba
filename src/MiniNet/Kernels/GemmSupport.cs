using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;

namespace MiniNet;

/// <summary>
/// Pinned operands of one <see cref="Gemm"/> (sub)problem: <c>op(A)[i, p] = A[i·RowStrideA + p·ColStrideA]</c>,
/// <c>op(B)[p, j] = B[p·RowStrideB + j·ColStrideB]</c>, <c>C[i, j] = C[i·Ldc + j]</c>. A transpose is just swapped
/// strides, which is how the packing routines absorb it.
/// </summary>
internal readonly unsafe struct GemmOperands<T>(T* a, nint rowStrideA, nint colStrideA, T* b, nint rowStrideB, nint colStrideB, T* c, nint ldc)
    where T : unmanaged
{
    public readonly T* A = a;
    public readonly nint RowStrideA = rowStrideA, ColStrideA = colStrideA;
    public readonly T* B = b;
    public readonly nint RowStrideB = rowStrideB, ColStrideB = colStrideB;
    public readonly T* C = c;
    public readonly nint Ldc = ldc;

    /// <summary>The sub-problem of rows <c>[i0, ..)</c> and columns <c>[j0, ..)</c> of C.</summary>
    public GemmOperands<T> Offset(int i0, int j0) =>
        new(A + (i0 * RowStrideA), RowStrideA, ColStrideA, B + (j0 * ColStrideB), RowStrideB, ColStrideB, C + ((i0 * Ldc) + j0), Ldc);
}

/// <summary>
/// Per-thread packing scratch: one pinned byte array, grown on demand and reused by every later call on the thread,
/// so the steady state allocates nothing. Both panels start on a 64-byte (cache-line, zmm) boundary.
/// </summary>
internal static unsafe class GemmScratch
{
    [ThreadStatic]
    private static byte[]? t_buffer;

    /// <summary>Returns room for <paramref name="countA"/> values, and in <paramref name="b"/> for <paramref name="countB"/>.</summary>
    public static T* Get<T>(int countA, int countB, out T* b)
        where T : unmanaged
    {
        nint bytesA = ((nint)countA * sizeof(T) + 63) & ~(nint)63;
        nint total = bytesA + ((nint)countB * sizeof(T)) + 64;
        byte[]? buffer = t_buffer;
        if (buffer is null || buffer.Length < total)
        {
            // Pinned (POH) so raw pointers into it stay valid; the aligned start is computed once per call.
            buffer = GC.AllocateUninitializedArray<byte>(checked((int)total), pinned: true);
            t_buffer = buffer;
        }

        byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        byte* aligned = (byte*)(((nint)start + 63) & ~(nint)63);
        b = (T*)(aligned + bytesA);
        return (T*)aligned;
    }
}

/// <summary>
/// Splits one product across threads by contiguous blocks of C: columns when C is wide, rows when tall, in whole
/// register tiles (of the packed kernel, or 6-row groups and vectors of the unpacked tiles). Each part packs its own panels in its thread's scratch, so the parts share nothing writable.
/// </summary>
internal sealed unsafe class GemmSplit<T> : IParallelParts
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // One per calling thread, reset for each product (the workers only read it while that product runs).
    [ThreadStatic]
    private static GemmSplit<T>? t_instance;

    private GemmOperands<T> _operands;
    private int _m, _n, _k, _chunk, _parts;
    private bool _byColumns, _accumulate;
    private GemmPath _path;

    /// <summary>Splits the product into at most <paramref name="threads"/> parts and runs them.</summary>
    public static void Run(GemmOperands<T> operands, int m, int n, int k, bool accumulate, GemmPath path, int threads)
    {
        GemmSplit<T> split = t_instance ??= new GemmSplit<T>();
        (split._operands, split._m, split._n, split._k, split._accumulate, split._path) = (operands, m, n, k, accumulate, path);
        bool wide = path == GemmPath.Packed512;
        int mr = wide ? GemmMicroKernel.Rows512 : GemmMicroKernel.Rows256;
        int nr = 2 * (wide ? Vector512<T>.Count : Vector256<T>.Count);
        if (path is GemmPath.Broadcast or GemmPath.DotTiles)
        {
            // Both tile kernels take rows in groups of up to 6, broadcast tiles columns a vector at a time.
            (mr, nr) = (6, Vector512<T>.Count);
        }

        // Dot tiles split by rows only: a column split would stream A twice, and A is the larger operand.
        split._byColumns = path != GemmPath.DotTiles && n / nr >= m / mr;
        int extent = split._byColumns ? n : m, unit = split._byColumns ? nr : mr;
        split._chunk = Math.Max(unit, (extent + (threads * unit) - 1) / (threads * unit) * unit);
        split._parts = (extent + split._chunk - 1) / split._chunk;
        if (!GemmWorkers.TryRun(split, split._parts))
        {
            Parallel.For(0, split._parts, new ParallelOptions { MaxDegreeOfParallelism = split._parts }, split.RunPart);
        }
    }

    /// <inheritdoc/>
    public void RunPart(int part)
    {
        int start = part * _chunk;
        if (_byColumns)
        {
            Gemm.Run(_operands.Offset(0, start), _m, Math.Min(_chunk, _n - start), _k, _accumulate, _path);
        }
        else
        {
            Gemm.Run(_operands.Offset(start, 0), Math.Min(_chunk, _m - start), _n, _k, _accumulate, _path);
        }
    }
}

/// <summary>A count known when the JIT compiles a generic instantiation (a register block's rows or columns), so the
/// code for unused rows and columns folds away.</summary>
internal interface ICount
{
    /// <summary>The count.</summary>
    static abstract int Value { get; }
}

/// <summary>The count 1.</summary>
internal readonly struct Count1 : ICount
{
    public static int Value => 1;
}

/// <summary>The count 2.</summary>
internal readonly struct Count2 : ICount
{
    public static int Value => 2;
}

/// <summary>The count 3.</summary>
internal readonly struct Count3 : ICount
{
    public static int Value => 3;
}

/// <summary>The count 4.</summary>
internal readonly struct Count4 : ICount
{
    public static int Value => 4;
}

/// <summary>The count 5.</summary>
internal readonly struct Count5 : ICount
{
    public static int Value => 5;
}

/// <summary>The count 6.</summary>
internal readonly struct Count6 : ICount
{
    public static int Value => 6;
}

/// <summary>Lane-masked loads and stores of the unpacked tile kernels (Vector512 with AVX-512, Vector256 with AVX) for a ragged last vector.</summary>
internal static unsafe class GemmMasks
{
    /// <summary>All bits set in the first <paramref name="count"/> lanes of a Vector512 or Vector256, clear after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector FirstLanes<T, TVector>(int count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct => typeof(TVector) == typeof(Vector512<T>)
            ? Unsafe.BitCast<Vector512<T>, TVector>(Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(count))))
            : Unsafe.BitCast<Vector256<T>, TVector>(Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(count))));

    /// <summary>The lanes of <paramref name="mask"/> from <paramref name="source"/>, zeros elsewhere; memory under clear lanes is not read (nor faults).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Load<T, TVector>(T* source, TVector mask)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
    {
        if (typeof(TVector) == typeof(Vector512<float>))
        {
            return Unsafe.BitCast<Vector512<float>, TVector>(Avx512F.MaskLoad((float*)source, Unsafe.BitCast<TVector, Vector512<float>>(mask), Vector512<float>.Zero));
        }

        if (typeof(TVector) == typeof(Vector512<double>))
        {
            return Unsafe.BitCast<Vector512<double>, TVector>(Avx512F.MaskLoad((double*)source, Unsafe.BitCast<TVector, Vector512<double>>(mask), Vector512<double>.Zero));
        }

        if (typeof(TVector) == typeof(Vector256<float>))
        {
            return Unsafe.BitCast<Vector256<float>, TVector>(Avx.MaskLoad((float*)source, Unsafe.BitCast<TVector, Vector256<float>>(mask)));
        }

        return Unsafe.BitCast<Vector256<double>, TVector>(Avx.MaskLoad((double*)source, Unsafe.BitCast<TVector, Vector256<double>>(mask)));
    }

    /// <summary>Stores the lanes of <paramref name="mask"/> of <paramref name="value"/>; memory under clear lanes is not written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(T* destination, Vector512<T> value, Vector512<T> mask)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Avx512F.MaskStore((float*)destination, mask.AsSingle(), value.AsSingle());
        }
        else
        {
            Avx512F.MaskStore((double*)destination, mask.AsDouble(), value.AsDouble());
        }
    }
}
