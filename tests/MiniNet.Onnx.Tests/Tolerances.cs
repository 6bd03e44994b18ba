namespace MiniNet.Onnx.Tests;

/// <summary>How closely ONNX Runtime must reproduce MiniNet's forward pass; each bound is |a - b| &lt;= tol * (1 + |b|).</summary>
internal static class Tolerances
{
    /// <summary>
    /// float32: the brief's 1e-5. The two runtimes sum the same products in different orders (MLAS vs MiniNet's
    /// GEMM blocking) and use different exp/tanh approximations, each a few ulps (6e-8 relative) per op.
    /// </summary>
    public const double Float = 1e-5;

    /// <summary>float64: the same reordering at double precision (1.1e-16 per op), with room for ~100 ops of error.</summary>
    public const double Double = 1e-12;
}
