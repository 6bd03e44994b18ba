using System;
using System.Numerics;
using System.Threading.Tasks;

namespace MiniNet;

/// <summary>The batch split of <see cref="ConvKernel"/>: one reusable job per calling thread, run on <see cref="GemmWorkers"/>.</summary>
internal static unsafe partial class ConvKernel
{
    /// <summary>
    /// The pinned operands of one parallel call, reused by every call on the thread (nothing allocated per call): part i
    /// runs <see cref="Range"/>(i) of the samples on a persistent worker (<see cref="GemmWorkers"/>), or through
    /// <c>Parallel.For</c> when the workers are busy with another thread's product.
    /// </summary>
    private sealed class Job<T> : IParallelParts
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static Job<T>? t_instance;

        private ConvGeometry _g;
        private int _groups, _outChannels, _workers, _xLength, _wLength, _thirdLength, _fourthLength, _gradWLength;
        private bool _backward, _accumulateW;
        private T* _x, _w, _third, _fourth, _gradW;
        private T[][] _scratch = [], _partialW = [];

        /// <summary>The calling thread's job, with per-part scratch of <paramref name="length"/> and partial weight gradients rented.</summary>
        public static Job<T> Get(in ConvGeometry g, int groups, int outChannels, int workers, int length, int gradWLength)
        {
            Job<T> job = t_instance ??= new Job<T>();
            (job._g, job._groups, job._outChannels, job._workers, job._gradWLength) = (g, groups, outChannels, workers, gradWLength);
            if (job._scratch.Length < workers)
            {
                (job._scratch, job._partialW) = (new T[workers][], new T[workers][]);
            }

            // Rented on the calling thread (the pool is per thread) and given back there.
            for (int part = 0; part < workers; part++)
            {
                job._scratch[part] = BufferPool<T>.Rent(length);
                job._partialW[part] = part == 0 || gradWLength == 0 ? [] : BufferPool<T>.Rent(gradWLength);
            }

            return job;
        }

        public static (int Start, int End) Range(int batch, int workers, int part)
        {
            int chunk = (batch + workers - 1) / workers, start = Math.Min(batch, part * chunk);
            return (start, Math.Min(batch, start + chunk));
        }

        public Span<T> PartialW(int part) => _partialW[part].AsSpan(0, _gradWLength);

        public void SetForward(T* x, int xLength, T* w, int wLength, T* bias, int biasLength, T* y, int yLength)
        {
            SetOperands(x, xLength, w, wLength, bias, biasLength, y, yLength);
            _gradW = null;
            (_backward, _accumulateW) = (false, false);
        }

        public void SetBackward(
            T* x, int xLength, T* w, int wLength, T* gradY, int gradYLength, T* gradX, int gradXLength, T* gradW, int gradWLength, bool accumulateW)
        {
            SetOperands(x, xLength, w, wLength, gradY, gradYLength, gradX, gradXLength);
            _gradW = gradW;
            (_backward, _gradWLength, _accumulateW) = (true, gradWLength, accumulateW);
        }

        private void SetOperands(T* x, int xLength, T* w, int wLength, T* third, int thirdLength, T* fourth, int fourthLength)
        {
            _x = x;
            _w = w;
            _third = third;
            _fourth = fourth;
            (_xLength, _wLength, _thirdLength, _fourthLength) = (xLength, wLength, thirdLength, fourthLength);
        }

        public void Run()
        {
            if (!GemmWorkers.TryRun(this, _workers))
            {
                Parallel.For(0, _workers, new ParallelOptions { MaxDegreeOfParallelism = _workers }, RunPart);
            }
        }

        public void ReturnScratch()
        {
            for (int part = 0; part < _workers; part++)
            {
                BufferPool<T>.Return(_scratch[part]);
                if (part > 0 && _gradWLength > 0)
                {
                    BufferPool<T>.Return(_partialW[part]);
                }

                (_scratch[part], _partialW[part]) = (null!, null!);
            }

            SetOperands(null, 0, null, 0, null, 0, null, 0);
            _gradW = null;
        }

        /// <inheritdoc/>
        public void RunPart(int part)
        {
            (int start, int end) = Range(_g.Batch, _workers, part);
            var x = new ReadOnlySpan<T>(_x, _xLength);
            var w = new ReadOnlySpan<T>(_w, _wLength);
            if (!_backward)
            {
                // third = bias, fourth = y.
                ForwardRange(_g, _groups, x, w, new ReadOnlySpan<T>(_third, _thirdLength), _outChannels, new Span<T>(_fourth, _fourthLength),
                    start, end, _scratch[part], maxThreads: 1);
                return;
            }

            // third = gradY, fourth = gradX; part 0 writes gradW itself, the others their partial sums.
            Span<T> gradW = _gradWLength == 0 ? default : part == 0 ? new Span<T>(_gradW, _gradWLength) : PartialW(part);
            BackwardRange(_g, _groups, _outChannels, x, w, new ReadOnlySpan<T>(_third, _thirdLength), new Span<T>(_fourth, _fourthLength),
                gradW, part == 0 && _accumulateW, start, end, _scratch[part], maxThreads: 1);
        }
    }
}
