namespace MiniNet.Tests.Infrastructure;

/// <summary>Every tolerance the suite uses, each with the reason it is what it is.</summary>
public static class Tolerances
{
    /// <summary>
    /// MiniNet vs TorchSharp in float64. Both compute the same formulas in IEEE double; they differ only in
    /// summation order and in libm vs .NET's Math for exp/log (each within 1-2 ulp), so results agree to ~1e-15
    /// relative. 1e-10 (the bound) leaves room for reductions over thousands of terms.
    /// </summary>
    public const double TorchDouble = 1e-10;

    /// <summary>
    /// MiniNet vs TorchSharp in float32: the same computation rounded at ~6e-8 per op; reductions and chained ops
    /// accumulate a few dozen ulps, so 1e-5 relative (the bound).
    /// </summary>
    public const double TorchFloat = 1e-5;

    /// <summary>
    /// MiniNet vs TorchSharp in float32 for gradients that are differences of O(1) terms: softmax
    /// <c>s (g - sum(g s))</c> and log-softmax <c>g - s sum(g)</c>. Each side rounds those terms at ~6e-8, so both
    /// land ~1e-8 to 4e-8 (absolute) from the float64 truth, with different signs; an element that cancels to
    /// 1e-3..1e-5 of the operands' scale then differs between the two by up to ~1e-4 of itself (measured: softmax
    /// on [7], element 2.49e-5, MiniNet off by 3.3e-9 and PyTorch by 2.1e-9, i.e. 3.1e-5 apart). Neither is wrong,
    /// so the bound is 1e-4; a wrong rule is off by O(1).
    /// </summary>
    public const double TorchFloatCancellation = 1e-4;

    /// <summary>
    /// MiniNet vs TorchSharp in float32 for outputs that are sums of many signed products (a MatMul gradient with an
    /// inner size of 30 or more). Each float sum is rounded at ~6e-8 relative to its partial sums, which are about the
    /// size of the largest output, and the two libraries add in different orders; an element that cancels to near 0 is
    /// then judged against the floor <see cref="RelativeFloor"/> x max, so the error seen there is about
    /// sqrt(n) * 6e-8 / 1e-3 ~ 3e-4 for n = 33. A wrong rule is off by O(1), so this still catches every real bug.
    /// </summary>
    public const double TorchFloatLongSums = 5e-4;

    /// <summary>
    /// MiniNet vs TorchSharp in float32 for batch- and layer-norm input gradients,
    /// <c>invstd (h - mean(h) - xhat mean(h xhat))</c>: three O(1) terms cancel. MiniNet forms them in double and
    /// rounds once; TorchSharp rounds each in float (~6e-8 absolute each), so an element that cancels to ~1e-3 of the
    /// tensor's scale differs by a few 1e-4 of itself (measured: LayerNorm over [3] of [3, 2, 2, 3], element 1.448e-3,
    /// 3.6e-4 apart). A wrong rule is off by O(1).
    /// </summary>
    public const double TorchFloatNormalization = 1e-3;

    /// <summary>
    /// Floor of the relative comparison, as a fraction of the largest magnitude in the tensor. An element that is
    /// the difference of large terms (a gradient summing to ~0) cannot be compared relative to itself; relative to
    /// a thousandth of the tensor's scale is still far tighter than any real bug.
    /// </summary>
    public const double RelativeFloor = 1e-3;

    /// <summary>
    /// GradCheck in double with step 1e-6: central differences have truncation error O(h^2 f''') ~ 1e-12 and
    /// rounding error ~ eps/h ~ 1e-10 on O(1) values, so 1e-6 mixed error (abs / (1 + |numeric|)) catches any wrong
    /// rule while tolerating the method's own noise.
    /// </summary>
    public const double GradCheck = 1e-6;

    /// <summary>
    /// GradCheck.GradGrad in double with step 1e-6: it differences analytic first-order gradients, which are exact to
    /// ~1e-16, so its error is the same O(h^2) truncation plus ~1e-16/1e-6 = 1e-10 rounding; the same 1e-6 bound as
    /// <see cref="GradCheck"/> applies, and a wrong second derivative is off by O(1).
    /// </summary>
    public const double GradGrad = 1e-6;

    /// <summary>Finite-difference step of <see cref="GradGradFloat"/>.</summary>
    public const double GradGradFloatStep = 1e-3;

    /// <summary>
    /// GradCheck.GradGrad of a double function with a float section inside (x.To&lt;float&gt;() ... To&lt;double&gt;()): the
    /// first-order gradients that are differenced are float-rounded (~6e-8 relative), so step 1e-6 would give noise
    /// ~6e-8/1e-6 = 0.06. With step <see cref="GradGradFloatStep"/> the noise is at most ~6e-5 and the O(h^2) truncation
    /// ~1e-7 (measured on tanh: 9.7e-6 mixed error). 1e-4 still catches a wrong second derivative, which is off by O(1).
    /// </summary>
    public const double GradGradFloat = 1e-4;

    /// <summary>
    /// BCE's second derivative vs TorchSharp: PyTorch's double backward of binary_cross_entropy adds eps = 1e-12 to p
    /// and 1 - p in its denominators, which shifts the result by up to ~2e-12 / min(p, 1 - p) relative (4e-11 at
    /// p = 0.05, plus the same again from the target term). MiniNet computes the exact derivative (checked against the
    /// closed form y/p^2 + (1 - y)/(1 - p)^2 at <see cref="ClosedForm"/> in SecondOrderTests), so 1e-9 here.
    /// </summary>
    public const double TorchBceDoubleBackward = 1e-9;

    /// <summary>Closed-form vs tape in double for the same formula: only rounding differs (a few ulp).</summary>
    public const double ClosedForm = 1e-12;

    /// <summary>
    /// Gemm vs a naive triple loop: element (i, j) may differ by <c>GemmEpsPerTerm * (k + 2) * eps * sum_p |A[i,p] B[p,j]|</c>
    /// (plus the same for an accumulated C), eps being the machine epsilon of the element type. Each of the two
    /// results is a k-term dot product summed in its own order (blocked, FMA-fused in the kernel); Higham's bound
    /// for either is gamma_k = k*u/(1 - k*u) with u = eps/2, so their difference is within ~k*eps times the sum of
    /// magnitudes. Any indexing, packing or edge bug is an O(1) relative error, far above this.
    /// </summary>
    public const double GemmEpsPerTerm = 1.0;

    /// <summary>
    /// Vectorised elementwise kernels vs their definitions evaluated in double, in units of the element type's epsilon
    /// times the sum of the magnitudes of the formula's terms (so a cancellation is judged against what cancelled). MiniNet's float
    /// vector Exp/Log/Log1P (Kernels/VectorMath.cs, measured below 0.83 ulp) and .NET's double ones are not correctly
    /// rounded like the scalar Math ones, and BCE composes exp, log1p and a division, so a few ulp of each (measured
    /// with the runtime's functions: at most ~2 eps in the normal range; subnormal float results at z = -100 were off
    /// by ~13 subnormal steps, which the kernel test allows as KernelEps steps of T.Epsilon).
    /// 16 still catches any wrong formula or tail, whose errors are 1e-3 relative and up.
    /// </summary>
    public const double KernelEps = 16.0;
}
