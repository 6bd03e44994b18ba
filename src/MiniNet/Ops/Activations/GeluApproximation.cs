namespace MiniNet;

/// <summary>Which form of GELU <see cref="Ops.Gelu{T}"/> computes (PyTorch: the <c>approximate</c> argument of <c>F.gelu</c>).</summary>
public enum GeluApproximation
{
    /// <summary>The exact <c>x Phi(x)</c> with the normal CDF from erf (PyTorch: <c>approximate='none'</c>).</summary>
    None,

    /// <summary><c>0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))</c> (PyTorch: <c>approximate='tanh'</c>).</summary>
    Tanh,
}
