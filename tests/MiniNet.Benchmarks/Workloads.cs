using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using MiniNet.Tests.Infrastructure;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Benchmarks;

/// <summary>
/// The workloads. Each builds identical inputs for both libraries (TorchSharp tensors are copies of MiniNet's values),
/// and returns step actions that do the whole user-visible work, including allocating outputs, on both sides.
/// </summary>
internal static partial class Workloads
{
    /// <summary>Keeps TorchSharp tensors alive for the run and disposes them at the end.</summary>
    public static readonly List<IDisposable> Keep = new();

    /// <summary>The FMA peak (see <see cref="FmaProbe"/>): MiniNet's column is the probe, 0.2 GFLOP per step.</summary>
    public static Workload Peak<T>(int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const double flops = 2e8;
        return new Workload
        {
            Name = $"peak fma {TypeName<T>()}",
            Size = Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256",
            Threads = threads,
            WorkPerStep = flops,
            ThroughputUnit = "GFLOP/s",
            MiniNet = FmaProbe.For<T>(flops, threads),
            TorchSharp = null,
        };
    }

    /// <summary><c>a.MatMul(b)</c> on square matrices; the baseline is the FMA probe doing the same 2n³ flops.</summary>
    public static Workload MatMul<T>(int n, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(1);
        Tensor<T> a = Tensor.Randn<T>(rng, n, n), b = Tensor.Randn<T>(rng, n, n);
        TT ta = Torch(a), tb = Torch(b);
        double flops = 2.0 * n * n * n;
        return new Workload
        {
            Name = $"matmul {TypeName<T>()}",
            Size = $"{n}x{n}x{n}",
            Threads = threads,
            WorkPerStep = flops,
            ThroughputUnit = "GFLOP/s",
            MiniNet = () =>
            {
                using var noGrad = Autograd.NoGrad();
                a.MatMul(b);
            },
            TorchSharp = () =>
            {
                using TT c = torch.mm(ta, tb);
            },
            Baseline = FmaProbe.For<T>(flops, threads),
            BaselineIsPeak = true,
        };
    }

    /// <summary>
    /// The GEMM kernel alone (<c>Gemm.Multiply</c> into a preallocated C, no tensor, no output allocation), against the
    /// FMA probe doing the same flops: how close the kernel itself gets to the peak. No TorchSharp side.
    /// </summary>
    public static Workload GemmKernel<T>(int n, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng(1);
        T[] a = Tensor.Randn<T>(rng, n, n).ToArray(), b = Tensor.Randn<T>(rng, n, n).ToArray(), c = new T[n * n];
        double flops = 2.0 * n * n * n;
        return new Workload
        {
            Name = $"gemm kernel {TypeName<T>()}",
            Size = $"{n}x{n}x{n}",
            Threads = threads,
            WorkPerStep = flops,
            ThroughputUnit = "GFLOP/s",
            MiniNet = () => Gemm.Multiply<T>(a, false, b, false, c, n, n, n, accumulate: false),
            TorchSharp = null,
            Baseline = FmaProbe.For<T>(flops, threads),
            BaselineIsPeak = true,
        };
    }

    /// <summary>1M-float add; with <paramref name="dispose"/> the output is disposed (<c>using var c = a + b;</c>), as the TorchSharp side does.</summary>
    public static Workload Add(int count, bool dispose = false)
    {
        var rng = new Rng(3);
        Tensor<float> a = Tensor.Randn<float>(rng, count), b = Tensor.Randn<float>(rng, count);
        TT ta = Torch(a), tb = Torch(b);
        var destination = new float[count];
        return new Workload
        {
            Name = dispose ? "add f32 using" : "add f32",
            Size = Count(count),
            Threads = 1,
            WorkPerStep = 3.0 * sizeof(float) * count,
            ThroughputUnit = "GB/s",
            MiniNet = () =>
            {
                using var noGrad = Autograd.NoGrad();
                Tensor<float> c = a + b;
                if (dispose)
                {
                    c.Dispose();
                }
            },
            TorchSharp = () =>
            {
                using TT c = ta.add(tb);
            },
            Baseline = () => TensorPrimitives.Add(a.AsReadOnlySpan(), b.AsReadOnlySpan(), destination),
        };
    }

    /// <summary>1M-float sigmoid; with <paramref name="dispose"/> the output is disposed, as the TorchSharp side does.</summary>
    public static Workload Sigmoid(int count, bool dispose = false)
    {
        var rng = new Rng(4);
        Tensor<float> a = Tensor.Randn<float>(rng, count);
        TT ta = Torch(a);
        var destination = new float[count];
        return new Workload
        {
            Name = dispose ? "sigmoid f32 using" : "sigmoid f32",
            Size = Count(count),
            Threads = 1,
            WorkPerStep = 2.0 * sizeof(float) * count,
            ThroughputUnit = "GB/s",
            MiniNet = () =>
            {
                using var noGrad = Autograd.NoGrad();
                Tensor<float> c = a.Sigmoid();
                if (dispose)
                {
                    c.Dispose();
                }
            },
            TorchSharp = () =>
            {
                using TT c = torch.sigmoid(ta);
            },
            Baseline = () => TensorPrimitives.Sigmoid(a.AsReadOnlySpan(), destination),
        };
    }

    /// <summary>Fused BCE-with-logits, mean, forward and backward into the logits' gradient.</summary>
    public static Workload BceForwardBackward(int count)
    {
        var rng = new Rng(5);
        Tensor<float> z = Tensor.Randn<float>(rng, count) * 4f, y = Tensor.Rand<float>(rng, count);
        z.RequiresGrad = true;
        TT tz = Torch(z.Detach(), requiresGrad: true), ty = Torch(y);
        float[] t1 = new float[count], t2 = new float[count], grad = new float[count];
        float scale = 1f / count;
        return new Workload
        {
            Name = "bce-logits fwd+bwd f32",
            Size = Count(count),
            Threads = 1,
            // Forward reads z and y; backward reads z and y and read-modify-writes the gradient.
            WorkPerStep = 6.0 * sizeof(float) * count,
            ThroughputUnit = "GB/s",
            MiniNet = () =>
            {
                z.BinaryCrossEntropyWithLogits(y).Backward();
                z.ZeroGrad();
            },
            TorchSharp = () =>
            {
                using var scope = torch.NewDisposeScope();
                F.binary_cross_entropy_with_logits(tz, ty).backward();
                tz.grad!.zero_();
            },
            // The same maths as TensorPrimitives passes: max(z,0) - z*y + log1p(exp(-|z|)), then sigma(z) - y.
            Baseline = () =>
            {
                ReadOnlySpan<float> zs = z.AsReadOnlySpan(), ys = y.AsReadOnlySpan();
                TensorPrimitives.Abs(zs, t1);
                TensorPrimitives.Negate(t1, t1);
                TensorPrimitives.Exp(t1, t1);
                TensorPrimitives.LogP1(t1, t1);
                TensorPrimitives.Max(zs, 0f, t2);
                TensorPrimitives.Add(t1, t2, t1);
                TensorPrimitives.Multiply(zs, ys, t2);
                TensorPrimitives.Subtract(t1, t2, t1);
                _ = TensorPrimitives.Sum<float>(t1) * scale;
                TensorPrimitives.Sigmoid(zs, t1);
                TensorPrimitives.Subtract(t1, ys, t1);
                TensorPrimitives.MultiplyAdd(t1, scale, grad, grad);
                Array.Clear(grad);
            },
        };
    }

    private static string Count(int count) => count >= 1 << 20 ? $"{count >> 20}M" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string TypeName<T>() => typeof(T) == typeof(float) ? "f32" : "f64";

    /// <summary>A TorchSharp copy of <paramref name="t"/>'s values, kept alive (and disposed) with <see cref="Keep"/>.</summary>
    internal static TT Torch<T>(Tensor<T> t, bool requiresGrad = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TT result = TorchOracle.ToTorch(t, requiresGrad);
        Keep.Add(result);
        return result;
    }
}
