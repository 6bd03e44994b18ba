using System;
using System.Runtime.Intrinsics;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// Shared by the tests of the width-generic lane kernels (GELU, sigmoid, ExpForFloat): run a kernel through the 128-,
/// 256- or 512-bit overload on consecutive chunks of an array, whatever the hardware, and the float ulp of an exact value.
/// </summary>
internal static class VectorLanesTestKit
{
    /// <summary>
    /// <c>y = f(x)</c> chunk by chunk with the overload of <paramref name="width"/> bits; a last partial chunk is left 0.
    /// </summary>
    public static T[] Map<T>(int width, T[] x, Func<Vector128<T>, Vector128<T>> f128, Func<Vector256<T>, Vector256<T>> f256, Func<Vector512<T>, Vector512<T>> f512)
    {
        var y = new T[x.Length];
        int lanes = width / 8 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int i = 0; i + lanes <= x.Length; i += lanes)
        {
            ReadOnlySpan<T> s = x.AsSpan(i, lanes);
            Span<T> d = y.AsSpan(i, lanes);
            switch (width)
            {
                case 128:
                    f128(Vector128.Create(s)).CopyTo(d);
                    break;
                case 256:
                    f256(Vector256.Create(s)).CopyTo(d);
                    break;
                default:
                    f512(Vector512.Create(s)).CopyTo(d);
                    break;
            }
        }

        return y;
    }

    /// <summary>The float ulp of an exact value; below the normal range the subnormal step.</summary>
    public static double FloatUlp(double exact) =>
        Math.Abs(exact) < Math.Pow(2, -126) ? Math.Pow(2, -149) : Math.Pow(2, Math.ILogB(Math.Abs(exact)) - 23);
}
