using System.Runtime;

namespace HpcLearn.Training;

/// <summary>
/// Keeps the garbage collector from running while libtorch works on a step.
/// Why: TorchSharp turns doubles into native <c>Scalar</c> objects that only a finalizer frees.
/// Once the native call has their handle, nothing managed keeps them alive, so a collection
/// triggered by <em>another</em> thread (the data loader's prefetch) can finalize one while libtorch
/// is still reading it. We saw exactly that: after ~1,700 AdamW steps, "Expected false to be true
/// ... toFloat" from <c>add_</c>. Inside a no-GC region no collection happens, so no finalizer
/// runs; the step's garbage is collected after it.
/// </summary>
public readonly struct GcPause : IDisposable
{
    private readonly bool _active;

    private GcPause(bool active) => _active = active;

    /// <summary>Budget of managed allocation (all threads) the region allows. A step needs far less.</summary>
    public const long Budget = 16L << 20;

    /// <summary>Enters a no-GC region (or does nothing when one is already active).</summary>
    public static GcPause Begin()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default;
        try { return new GcPause(GC.TryStartNoGCRegion(Budget)); }
        catch (InvalidOperationException) { return default; }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The region ends by itself (with a collection) if the budget ran out; then there is nothing to end.
        if (_active && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
    }
}
