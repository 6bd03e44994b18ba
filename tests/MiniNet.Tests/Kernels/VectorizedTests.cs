using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FluentAssertions;
using Xunit;

namespace MiniNet.Tests.Kernels;

/// <summary>
/// The <see cref="Vectorized"/> drivers, every length 0..130 (every vector width, the overlapping last vector of a map,
/// every scalar tail), float and double: each result equals the operator's scalar member bit for bit, in place too.
/// .ci/run reruns this class with AVX-512, AVX2 and all hardware intrinsics switched off, so each width is covered.
/// </summary>
public class VectorizedTests
{
    private const int MaxLength = 130;

    [Fact]
    public void EveryDriver_IsFullyOptimisedAndNeverInlined()
    {
        // Inlined into a caller that tiered compilation recompiled at tier 1, a driver left its operator's exp a call
        // per vector (1M-float sigmoid 230 -> 400-1,100 us for the rest of the process): see Vectorized.Driver.
        var drivers = typeof(Vectorized).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static);
        drivers.Should().HaveCountGreaterThanOrEqualTo(8);
        foreach (var driver in drivers)
        {
            driver.MethodImplementationFlags.Should().HaveFlag(System.Reflection.MethodImplAttributes.NoInlining, driver.ToString())
                .And.HaveFlag(System.Reflection.MethodImplAttributes.AggressiveOptimization, driver.ToString());
        }
    }

    [Fact]
    public void Map_EveryArity_EveryLength_EqualsScalarMember_InAndOutOfPlace()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                T[] x = Values<T>(n, 1), y = Values<T>(n, 2), z = Values<T>(n, 3);
                T[] d1 = new T[n], d2 = new T[n], d3 = new T[n];
                Vectorized.Map(default(Square<T>), x, d1);
                Vectorized.Map(default(Diff<T>), x, y, d2);
                Vectorized.Map(default(MulSub<T>), x, y, z, d3);
                T[] inPlace = (T[])x.Clone();
                Vectorized.Map(default(MulSub<T>), inPlace, y, z, inPlace);
                for (int i = 0; i < n; i++)
                {
                    d1[i].Should().Be(x[i] * x[i], $"unary n={n} i={i}");
                    d2[i].Should().Be(x[i] - y[i], $"binary n={n} i={i}");
                    d3[i].Should().Be((x[i] * y[i]) - z[i], $"ternary n={n} i={i}");
                    inPlace[i].Should().Be(d3[i], $"in place n={n} i={i}");
                }
            }
        }
    }

    [Fact]
    public void Accumulate_EveryArity_EveryLength_AddsOnce()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                T[] x = Values<T>(n, 4), y = Values<T>(n, 5), z = Values<T>(n, 6), initial = Values<T>(n, 7);
                T[] d1 = (T[])initial.Clone(), d2 = (T[])initial.Clone(), d3 = (T[])initial.Clone();
                Vectorized.Accumulate(default(Square<T>), x, d1);
                Vectorized.Accumulate(default(Diff<T>), x, y, d2);
                Vectorized.Accumulate(default(MulSub<T>), x, y, z, d3);
                for (int i = 0; i < n; i++)
                {
                    d1[i].Should().Be(initial[i] + (x[i] * x[i]), $"unary n={n} i={i}");
                    d2[i].Should().Be(initial[i] + (x[i] - y[i]), $"binary n={n} i={i}");
                    d3[i].Should().Be(initial[i] + ((x[i] * y[i]) - z[i]), $"ternary n={n} i={i}");
                }
            }
        }
    }

    [Fact]
    public void Sum_EveryLength_MatchesDoubleSum()
    {
        Check<float>(1e-5);
        Check<double>(1e-13);

        static void Check<T>(double relative)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                T[] x = Values<T>(n, 8), y = Values<T>(n, 9);
                double expected = 0, magnitude = 0;
                for (int i = 0; i < n; i++)
                {
                    double term = double.CreateTruncating(x[i] - y[i]);
                    expected += term;
                    magnitude += Math.Abs(term);
                }

                // Summation order differs from the sequential loop (one partial sum per lane): n roundings at most.
                double.CreateTruncating(Vectorized.Sum(default(Diff<T>), x, y)).Should().BeApproximately(expected, (relative * magnitude) + 1e-300, $"n={n}");
            }
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1e-300)]
    [InlineData(1.0000001)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void IndexOfOutside_FindsTheFirstBadValue_AtEveryPosition(double bad)
    {
        Check<float>(bad);
        Check<double>(bad);

        static void Check<T>(double bad)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int n = 0; n <= 70; n++)
            {
                T[] x = Unit<T>(n);
                Vectorized.IndexOfOutside<T>(x, T.Zero, T.One).Should().Be(-1, $"n={n} holds only values in [0, 1] (with 0, -0 and 1)");
                for (int k = 0; k < n; k++)
                {
                    T[] planted = (T[])x.Clone();
                    planted[k] = T.CreateTruncating(bad);
                    if (!T.IsNaN(planted[k]) && planted[k] >= T.Zero && planted[k] <= T.One)
                    {
                        continue; // -1e-300 rounds to -0 in float, which is inside [0, 1]
                    }

                    planted[n - 1] = T.NaN;
                    Vectorized.IndexOfOutside<T>(planted, T.Zero, T.One).Should().Be(k, $"n={n} k={k} bad={bad}");
                }
            }
        }
    }

    [Fact]
    public void InPlace_AddAxpyScale_EveryLength_EqualScalarLoops()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            T a = T.CreateTruncating(-0.37);
            for (int n = 0; n <= MaxLength; n++)
            {
                T[] x = Values<T>(n, 10), initial = Values<T>(n, 11);
                T[] add = (T[])initial.Clone(), axpy = (T[])initial.Clone(), scale = (T[])initial.Clone();
                InPlace.Add<T>(add, x);
                InPlace.Axpy<T>(axpy, a, x);
                InPlace.Scale<T>(scale, a);
                for (int i = 0; i < n; i++)
                {
                    add[i].Should().Be(initial[i] + x[i], $"Add n={n} i={i}");
                    axpy[i].Should().Be(initial[i] + (a * x[i]), $"Axpy n={n} i={i}");
                    scale[i].Should().Be(initial[i] * a, $"Scale n={n} i={i}");
                }
            }
        }
    }

    [Fact]
    public void EveryDriver_Throws_OnLengthMismatch()
    {
        double[] three = new double[3], four = new double[4];
        FluentActions.Invoking(() => Vectorized.Map(default(Square<double>), three, four)).Should().Throw<ArgumentException>().WithMessage("*3, 4*");
        FluentActions.Invoking(() => Vectorized.Map(default(Diff<double>), three, three, four)).Should().Throw<ArgumentException>().WithMessage("*3, 3, 4*");
        FluentActions.Invoking(() => Vectorized.Map(default(MulSub<double>), three, four, three, three)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Vectorized.Accumulate(default(Square<double>), four, three)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Vectorized.Accumulate(default(Diff<double>), three, four, three)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Vectorized.Accumulate(default(MulSub<double>), three, three, three, four)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Vectorized.Sum(default(Diff<double>), three, four)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => InPlace.Add<double>(three, four)).Should().Throw<ArgumentException>();
    }

    private static T[] Values<T>(int n, ulong seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = T.CreateTruncating(((rng.NextDouble() * 2) - 1) * Math.Pow(2, rng.NextInt(40) - 20));
        }

        return values;
    }

    private static T[] Unit<T>(int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] values = new T[n];
        var rng = new Rng((ulong)n + 99);
        for (int i = 0; i < n; i++)
        {
            values[i] = (i % 7) switch { 0 => T.Zero, 1 => T.NegativeZero, 2 => T.One, _ => T.CreateTruncating(rng.NextDouble()) };
        }

        return values;
    }

    private readonly struct Square<T> : IUnaryKernel<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public T Invoke(T x) => x * x;

        public Vector128<T> Invoke(Vector128<T> x) => x * x;

        public Vector256<T> Invoke(Vector256<T> x) => x * x;

        public Vector512<T> Invoke(Vector512<T> x) => x * x;
    }

    private readonly struct Diff<T> : IBinaryKernel<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public T Invoke(T x, T y) => x - y;

        public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x - y;

        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x - y;

        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => x - y;
    }

    private readonly struct MulSub<T> : ITernaryKernel<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public T Invoke(T x, T y, T z) => (x * y) - z;

        public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> z) => (x * y) - z;

        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z) => (x * y) - z;

        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z) => (x * y) - z;
    }
}
