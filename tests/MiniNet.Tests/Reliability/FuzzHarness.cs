using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace MiniNet.Tests.Reliability;

/// <summary>
/// Feeds byte arrays to a file parser and records, for each, whether it loaded or threw the parser's documented
/// exception, and how many bytes the load allocated on this thread. Anything else (another exception type, an
/// allocation above <c>constant + factor * budgetLength</c>) is collected as a failure with the input's label, and
/// the first failing input of each kind is kept on disk in the harness directory for a regression test.
/// </summary>
internal sealed class FuzzHarness
{
    private readonly string _path;
    private readonly Func<string, object?> _load;
    private readonly Type _documented;
    private readonly long _constant;
    private readonly double _factor;
    private readonly List<string> _failures = new();

    public FuzzHarness(string directory, string fileName, Func<string, object?> load, Type documented, long constant, double factor)
    {
        (_path, _load, _documented, _constant, _factor) = (Path.Combine(directory, fileName), load, documented, constant, factor);
    }

    public int Tried { get; private set; }

    public int Loaded { get; private set; }

    public int Rejected { get; private set; }

    public double MaxRatio { get; private set; }

    public long MaxAllocated { get; private set; }

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Runs one input. <paramref name="budgetLength"/> defaults to the file length (for gzip: the decompressed length).</summary>
    public void Run(string label, byte[] bytes, long budgetLength = -1)
    {
        File.WriteAllBytes(_path, bytes);
        long budget = budgetLength < 0 ? bytes.Length : budgetLength;
        Tried++;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = null;
        try
        {
            _load(_path);
        }
        catch (Exception e)
        {
            error = e;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        MaxAllocated = Math.Max(MaxAllocated, allocated);
        MaxRatio = Math.Max(MaxRatio, (double)Math.Max(0, allocated - _constant) / Math.Max(1, budget));
        if (error is null)
        {
            Loaded++;
        }
        else if (error.GetType() == _documented)
        {
            Rejected++;
        }
        else
        {
            Fail($"{label}: {error.GetType().Name}: {error.Message}", bytes);
        }

        if (allocated > _constant + (_factor * budget))
        {
            Fail($"{label}: allocated {allocated} bytes for a budget of {budget} bytes (limit {_constant} + {_factor} x {budget})", bytes);
        }
    }

    public string Summary(string parser) =>
        $"{parser}: {Tried} inputs, {Loaded} loaded, {Rejected} rejected with the documented exception, {_failures.Count} failures; " +
        $"max allocation {MaxAllocated} bytes, max (allocated - {_constant}) / budget = {MaxRatio:F2} (limit {_factor})";

    public string Report()
    {
        var text = new StringBuilder();
        foreach (string failure in _failures)
        {
            text.AppendLine(failure);
        }

        return text.ToString();
    }

    private void Fail(string message, byte[] bytes)
    {
        if (_failures.Count < 20)
        {
            _failures.Add(message + " | input (base64): " + Convert.ToBase64String(bytes.Length > 512 ? bytes[..512] : bytes));
        }
    }
}

/// <summary>Deterministic mutations of a byte array.</summary>
internal static class Mutate
{
    public static byte[] Random(Rng rng, int maxLength)
    {
        var bytes = new byte[rng.NextInt(maxLength + 1)];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)rng.NextInt(256);
        }

        return bytes;
    }

    public static byte[] FlipBit(byte[] source, int bit)
    {
        byte[] copy = (byte[])source.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    public static byte[] Overwrite(byte[] source, int offset, ReadOnlySpan<byte> value)
    {
        byte[] copy = (byte[])source.Clone();
        value[..Math.Min(value.Length, copy.Length - offset)].CopyTo(copy.AsSpan(offset));
        return copy;
    }

    /// <summary>Several random byte edits: overwrite, insert or delete.</summary>
    public static byte[] Havoc(Rng rng, byte[] source)
    {
        var list = new List<byte>(source);
        int edits = 1 + rng.NextInt(4);
        for (int e = 0; e < edits; e++)
        {
            int at = list.Count == 0 ? 0 : rng.NextInt(list.Count);
            switch (rng.NextInt(3))
            {
                case 0 when list.Count > 0:
                    list[at] = (byte)rng.NextInt(256);
                    break;
                case 1:
                    list.Insert(at, (byte)rng.NextInt(256));
                    break;
                default:
                    if (list.Count > 0)
                    {
                        list.RemoveAt(at);
                    }

                    break;
            }
        }

        return list.ToArray();
    }
}
