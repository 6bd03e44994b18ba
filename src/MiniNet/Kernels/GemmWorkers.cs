using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace MiniNet;

/// <summary>A job split into numbered parts that may run concurrently.</summary>
internal interface IParallelParts
{
    /// <summary>Runs part <paramref name="part"/>.</summary>
    void RunPart(int part);
}

/// <summary>
/// Persistent worker threads for splitting one product across cores: the caller runs part 0 and the workers the
/// others. Unlike <c>Parallel.For</c> (about 3.5 KB of delegates, closures and tasks per call, so 2-thread training
/// steps allocated ~4.5 KB each) a split allocates nothing once the workers exist, and each worker keeps its own
/// packing scratch. One split runs at a time; a caller that finds the workers busy (another thread's product) runs
/// through <c>Parallel.For</c> instead, so concurrent callers never wait on each other.
/// </summary>
internal static class GemmWorkers
{
    private static readonly object s_grow = new();
    private static readonly ManualResetEventSlim s_done = new(false);
    private static Worker[] s_workers = Array.Empty<Worker>();
    private static int s_busy, s_pending;
    private static Exception? s_error;

    /// <summary>Runs parts 0..<paramref name="parts"/>-1 of <paramref name="job"/>; false (nothing run) when the workers are busy.</summary>
    public static bool TryRun(IParallelParts job, int parts)
    {
        if (parts <= 1)
        {
            job.RunPart(0);
            return true;
        }

        if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            Worker[] workers = Ensure(parts - 1);
            s_error = null;
            s_done.Reset();
            Volatile.Write(ref s_pending, parts - 1);
            for (int w = 1; w < parts; w++)
            {
                workers[w - 1].Start(job, w);
            }

            try
            {
                job.RunPart(0);
            }
            finally
            {
                s_done.Wait();
            }

            if (s_error is { } error)
            {
                ExceptionDispatchInfo.Throw(error);
            }

            return true;
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    private static Worker[] Ensure(int count)
    {
        if (s_workers.Length >= count)
        {
            return s_workers;
        }

        lock (s_grow)
        {
            var grown = new Worker[count];
            s_workers.CopyTo(grown, 0);
            for (int i = s_workers.Length; i < count; i++)
            {
                grown[i] = new Worker(i);
            }

            s_workers = grown;
            return grown;
        }
    }

    private static void PartDone()
    {
        if (Interlocked.Decrement(ref s_pending) == 0)
        {
            s_done.Set();
        }
    }

    /// <summary>One background thread that waits for a part, runs it and reports back.</summary>
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false);
        private IParallelParts? _job;
        private int _part;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"MiniNet GEMM worker {index + 1}" };
            thread.Start();
        }

        public void Start(IParallelParts job, int part)
        {
            (_job, _part) = (job, part);
            _go.Set();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                _go.Reset();
                try
                {
                    _job!.RunPart(_part);
                }
                catch (Exception e)
                {
                    s_error = e;
                }
                finally
                {
                    _job = null;
                    PartDone();
                }
            }
        }
    }
}
