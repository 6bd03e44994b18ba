using System;
using System.Linq;
using System.Numerics;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Tests.Infrastructure;

/// <summary>
/// The one MiniNet ↔ TorchSharp conversion, shared by the test and benchmark projects (linked into both): copies of
/// the values with the same shape, float32 for <see cref="float"/> and float64 for <see cref="double"/>.
/// </summary>
public static partial class TorchOracle
{
    /// <summary>A TorchSharp tensor with <paramref name="t"/>'s shape and values (float32 or float64 after T).</summary>
    public static TT ToTorch<T>(Tensor<T> t, bool requiresGrad = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long[] dims = t.Shape.ToArray().Select(d => (long)d).ToArray();
        return typeof(T) == typeof(float)
            ? torch.tensor((float[])(object)t.ToArray(), dims, dtype: torch.float32, requires_grad: requiresGrad)
            : torch.tensor((double[])(object)t.ToArray(), dims, dtype: torch.float64, requires_grad: requiresGrad);
    }

    /// <summary>A MiniNet tensor with <paramref name="t"/>'s shape and values, converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> FromTorch<T>(TT t)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Tensor.FromArray(Values(t).Select(T.CreateChecked).ToArray(), ShapeOf(t));

    /// <summary>The values of a TorchSharp tensor, as double (empty for an empty tensor, which TorchSharp's accessor cannot read).</summary>
    public static double[] Values(TT t) =>
        t.numel() == 0 ? Array.Empty<double>() :
        t.dtype == torch.float32 ? t.detach().contiguous().data<float>().ToArray().Select(v => (double)v).ToArray() :
        t.detach().contiguous().to_type(torch.float64).data<double>().ToArray();

    /// <summary>The shape of a TorchSharp tensor.</summary>
    public static int[] ShapeOf(TT t) => t.shape.Select(d => (int)d).ToArray();
}
