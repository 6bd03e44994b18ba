using System;

namespace MiniNet;

/// <summary>Switches that control recording on the calling thread's <see cref="Tape"/>.</summary>
public static partial class Autograd
{
    [ThreadStatic]
    private static int t_noGradDepth;

    [ThreadStatic]
    private static int t_anomalyDepth;

    [ThreadStatic]
    private static int t_recycleDepth;

    [ThreadStatic]
    private static int t_graphBackwardDepth;

    /// <summary>True unless the calling thread is inside a <see cref="NoGrad"/> scope.</summary>
    /// <remarks>PyTorch: <c>torch.is_grad_enabled()</c>.</remarks>
    public static bool IsGradEnabled => t_noGradDepth == 0;

    /// <summary>True inside a <see cref="DetectAnomaly"/> scope on the calling thread.</summary>
    /// <remarks>PyTorch: <c>torch.is_anomaly_enabled()</c>.</remarks>
    public static bool IsAnomalyDetectionEnabled => t_anomalyDepth != 0;

    /// <summary>True inside a <see cref="RecycleIntermediates"/> scope on the calling thread.</summary>
    public static bool IsRecyclingIntermediates => t_recycleDepth != 0;

    /// <summary>
    /// Starts a scope for training loops in which, each time <see cref="Tensor{T}.Backward"/> frees the tape, the
    /// storage of every intermediate tensor recorded on it (op outputs other than the tensor Backward was called on)
    /// goes back to a per-thread pool that the next step's ops draw from, so steady-state steps allocate no
    /// activation buffers. Reading a recycled tensor afterwards throws <see cref="InvalidOperationException"/>;
    /// it never shows another step's values. Leaves (parameters, inputs) and the loss stay valid.
    /// </summary>
    /// <returns>The scope; dispose it to allocate normally again.</returns>
    /// <remarks>No PyTorch counterpart (its caching allocator plays this role); off by default.</remarks>
    public static Scope RecycleIntermediates()
    {
        t_recycleDepth++;
        return new Scope(ScopeKind.Recycle);
    }

    /// <summary>
    /// Starts a scope in which no op is recorded on the tape (for evaluation and parameter updates):
    /// <c>using (Autograd.NoGrad()) { ... }</c>. Scopes nest.
    /// </summary>
    /// <returns>The scope; dispose it to restore recording.</returns>
    /// <remarks>PyTorch: <c>with torch.no_grad():</c>.</remarks>
    public static Scope NoGrad()
    {
        t_noGradDepth++;
        return new Scope(ScopeKind.NoGrad);
    }

    /// <summary>
    /// Starts a scope in which every recorded op checks its forward output, and every backward rule its input
    /// gradients, for NaN and infinity, throwing <see cref="AnomalyDetectedException"/> at the first one, naming the op,
    /// its input shapes and the source line that recorded it. Costs nothing when off.
    /// </summary>
    /// <returns>The scope; dispose it to stop checking.</returns>
    /// <remarks>PyTorch: <c>with torch.autograd.detect_anomaly():</c>.</remarks>
    public static Scope DetectAnomaly()
    {
        t_anomalyDepth++;
        return new Scope(ScopeKind.Anomaly);
    }

    internal enum ScopeKind
    {
        /// <summary>A default-constructed scope, which does nothing when disposed.</summary>
        None,
        NoGrad,
        Anomaly,
        Recycle,
        EnableGrad,
    }

    /// <summary>True while a backward pass with <c>createGraph</c> records its own ops on the calling thread.</summary>
    internal static bool IsRecordingBackward => t_graphBackwardDepth != 0;

    /// <summary>Turns recording on until disposed, even inside <see cref="NoGrad"/> (PyTorch: <c>torch.enable_grad()</c>); used by createGraph.</summary>
    internal static Scope EnableGradInternal()
    {
        var scope = new Scope(ScopeKind.EnableGrad, t_noGradDepth);
        t_noGradDepth = 0;
        t_graphBackwardDepth++;
        return scope;
    }

    /// <summary>
    /// A grad-mode scope, ended by <see cref="Dispose"/>. Dispose it on the thread that created it. A
    /// <c>default</c> scope does nothing, so <c>using var s = enabled ? Autograd.NoGrad() : default;</c> works.
    /// </summary>
    public struct Scope : IDisposable
    {
        private readonly ScopeKind _kind;
        private readonly int _savedDepth;
        private bool _disposed;

        internal Scope(ScopeKind kind, int savedDepth = 0)
        {
            _kind = kind;
            _savedDepth = savedDepth;
            _disposed = false;
        }

        /// <summary>Ends the scope; a second call does nothing.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            switch (_kind)
            {
                case ScopeKind.NoGrad:
                    t_noGradDepth--;
                    break;
                case ScopeKind.Anomaly:
                    t_anomalyDepth--;
                    break;
                case ScopeKind.Recycle:
                    t_recycleDepth--;
                    break;
                case ScopeKind.EnableGrad:
                    t_noGradDepth = _savedDepth;
                    t_graphBackwardDepth--;
                    break;
                default:
                    break;
            }
        }
    }
}
