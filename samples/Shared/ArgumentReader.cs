using System;
using System.Globalization;

namespace MiniNet.Samples;

/// <summary>
/// Walks a sample's command line option by option and parses typed values, throwing <see cref="FormatException"/>
/// with a one-line message ("--epochs needs a positive integer, got 'x'") on bad input. Shared by the samples
/// (linked into each project) so they report errors the same way.
/// </summary>
internal sealed class ArgumentReader(string[] args)
{
    private int _next;

    /// <summary>The option being read.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>Moves to the next option; false at the end.</summary>
    public bool MoveNext()
    {
        if (_next >= args.Length)
        {
            return false;
        }

        Name = args[_next++];
        return true;
    }

    /// <summary>The current option's value (the next argument).</summary>
    public string Value()
    {
        if (_next >= args.Length || args[_next].StartsWith("--", StringComparison.Ordinal))
        {
            throw new FormatException($"option {Name} needs a value");
        }

        return args[_next++];
    }

    /// <summary>A positive <see cref="int"/>; a number beyond <see cref="int.MaxValue"/> is reported as too large.</summary>
    public int PositiveInt()
    {
        string text = Value();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0)
        {
            return v;
        }

        throw new FormatException(text.Length > 0 && IsDigits(text)
            ? $"{Name} {text} is too large (at most {int.MaxValue:N0})"
            : $"{Name} needs a positive integer, got '{text}'");
    }

    private static bool IsDigits(string text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    public double PositiveDouble()
    {
        string text = Value();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
            ? v : throw new FormatException($"{Name} needs a positive number, got '{text}'");
    }

    public double NonNegativeDouble()
    {
        string text = Value();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && double.IsFinite(v)
            ? v : throw new FormatException($"{Name} needs a non-negative number, got '{text}'");
    }

    public ulong Seed()
    {
        string text = Value();
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
            ? v : throw new FormatException($"{Name} needs a non-negative integer, got '{text}'");
    }

    /// <summary>One of an enum's names, case-insensitively (numbers are rejected).</summary>
    public TEnum Choice<TEnum>()
        where TEnum : struct, Enum
    {
        string text = Value();
        return Enum.TryParse(text, ignoreCase: true, out TEnum v) && Enum.IsDefined(v) && !int.TryParse(text, out _)
            ? v
            : throw new FormatException($"{Name} must be one of {string.Join('|', Enum.GetNames<TEnum>()).ToLowerInvariant()}, got '{text}'");
    }

    /// <summary>The error for an option no case matched.</summary>
    public FormatException Unknown() => new($"unknown option '{Name}'");
}
