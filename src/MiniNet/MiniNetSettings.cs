using System;
using System.Threading;

namespace MiniNet;

/// <summary>Process-wide performance settings.</summary>
public static class MiniNetSettings
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// The most threads one kernel call may use (default <see cref="Environment.ProcessorCount"/>). Only large matrix
    /// products (<c>m*n*k &gt;= 2^20</c>, about 100³, and not the unpacked few-row paths) are split at all; everything else runs on the calling thread.
    /// </summary>
    /// <remarks>PyTorch: <c>torch.set_num_threads</c> / <c>torch.get_num_threads</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value set is less than 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref s_maxThreads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_maxThreads, value);
        }
    }
}
