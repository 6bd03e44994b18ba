using System;

namespace MiniNet;

/// <content>In-place writes that the autograd version check sees.</content>
public sealed partial class Tensor<T>
{
    /// <summary>
    /// Starts an in-place write: <c>using (var w = t.BeginWrite()) { w.Span[0] = 1; }</c>. The version is bumped when
    /// the scope starts and again when it ends, so an op recorded while the scope was open (a forward pass between
    /// taking the span and writing through it) sees a changed saved tensor and its backward throws, instead of
    /// computing a gradient from values it never saw.
    /// </summary>
    /// <returns>The scope; dispose it when the writes are done.</returns>
    /// <remarks>
    /// Prefer this to <see cref="AsSpanForWrite"/> when the span lives across other code. PyTorch: every in-place op
    /// bumps <c>_version</c>; a span has no per-write hook, so the scope brackets the writes instead.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The tensor is a non-contiguous view (use <see cref="CopyFrom"/>, which writes through strides).</exception>
    public WriteScope BeginWrite()
    {
        _ = ExposeStorage().KernelWriteSpan; // the caller keeps the span: the array leaves the pool
        MarkModified();
        return new WriteScope(this);
    }

    /// <summary>A writable view of a tensor whose version is bumped again when the scope ends (see <see cref="BeginWrite"/>).</summary>
    public readonly ref struct WriteScope
    {
        private readonly Tensor<T> _tensor;

        internal WriteScope(Tensor<T> tensor) => _tensor = tensor;

        /// <summary>The elements, row-major; write them before disposing the scope.</summary>
        public Span<T> Span => _tensor.ExposeStorage().KernelWriteSpan;

        /// <summary>Ends the write and bumps the version.</summary>
        public void Dispose() => _tensor.MarkModified();
    }
}
