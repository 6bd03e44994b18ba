using System;
using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using TT = TorchSharp.torch.Tensor;

namespace MiniNet.Samples.Validation;

/// <summary>Copies values between MiniNet tensors and TorchSharp tensors of the same dtype, bit for bit.</summary>
internal static class TorchBridge
{
    /// <summary>The TorchSharp dtype matching <typeparamref name="T"/> (float32 or float64).</summary>
    public static torch.ScalarType DType<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? torch.float32 : torch.float64;

    /// <summary>A new TorchSharp tensor with the same shape and exactly the same values.</summary>
    public static TT ToTorch<T>(Tensor<T> t, bool requiresGrad = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int[] shape = t.Shape.ToArray();
        var dims = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            dims[i] = shape[i];
        }

        ReadOnlySpan<T> values = t.AsReadOnlySpan();
        return typeof(T) == typeof(float)
            ? torch.tensor(MemoryMarshal.Cast<T, float>(values).ToArray(), dims, dtype: torch.float32, requires_grad: requiresGrad)
            : torch.tensor(MemoryMarshal.Cast<T, double>(values).ToArray(), dims, dtype: torch.float64, requires_grad: requiresGrad);
    }

    /// <summary>The values of a float32 or float64 TorchSharp tensor, widened to double (exact).</summary>
    public static double[] Values(TT t)
    {
        using TT c = t.detach().contiguous();
        if (c.dtype == torch.float32)
        {
            ReadOnlySpan<float> f = c.data<float>().ToArray();
            var result = new double[f.Length];
            for (int i = 0; i < f.Length; i++)
            {
                result[i] = f[i];
            }

            return result;
        }

        return c.data<double>().ToArray();
    }

    /// <summary>The value of a one-element TorchSharp tensor as double.</summary>
    public static double Item(TT t) => t.dtype == torch.float32 ? t.item<float>() : t.item<double>();

    /// <summary>Converts a float tensor (as the dataset is loaded) to <typeparamref name="T"/>; exact for both float and double.</summary>
    public static Tensor<T> Convert<T>(Tensor<float> source)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (source is Tensor<T> same)
        {
            return same;
        }

        ReadOnlySpan<float> from = source.AsReadOnlySpan();
        var values = new T[from.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateTruncating(from[i]);
        }

        return Tensor.FromArray<T>(values, source.Shape);
    }
}
