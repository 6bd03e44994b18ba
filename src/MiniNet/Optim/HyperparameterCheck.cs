using System;

namespace MiniNet.Optim;

/// <summary>Range checks shared by the optimizers' constructors; each throws naming the argument and the range.</summary>
internal static class HyperparameterCheck
{
    /// <summary>Throws unless <c>0 &lt;= value</c> and finite.</summary>
    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }

    /// <summary>Throws unless <c>0 &lt;= value &lt; 1</c> (or <c>&lt;= 1</c> when <paramref name="includeOne"/>).</summary>
    public static void Fraction(double value, string name, bool includeOne = false)
    {
        if (!(value >= 0 && (value < 1 || (includeOne && value == 1))))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1{(includeOne ? "]" : ")")}.");
        }
    }
}
