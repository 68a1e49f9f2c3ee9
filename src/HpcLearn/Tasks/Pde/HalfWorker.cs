using TorchSharp;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// A second thread that computes one half of a PINN's loss while the caller computes the other
/// (<see cref="PinnSolver"/>). Long-lived, so that libtorch's per-thread state (its thread count,
/// autograd's queues) is made once, not at every evaluation. Its libtorch work runs on
/// <c>threads</c> intra-op threads.
/// </summary>
internal sealed class HalfWorker : IDisposable
{
    private readonly Thread _thread;
    private readonly SemaphoreSlim _go = new(0), _done = new(0);
    private Action? _work;
    private Exception? _error;
    private volatile bool _stopping;

    public HalfWorker(int threads)
    {
        _thread = new Thread(() =>
        {
            torch.set_num_threads(threads);   // this thread's OpenMP and oneMKL counts
            while (true)
            {
                _go.Wait();
                if (_stopping) return;
                try { _work!(); }
                catch (Exception e) { _error = e; }
                _done.Release();
            }
        }) { IsBackground = true, Name = "hpclearn PINN half" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="theirs"/> on the worker and <paramref name="mine"/> on the caller; returns when both are done, rethrowing the first failure.</summary>
    public void Run(Action theirs, Action mine)
    {
        _work = theirs;
        _error = null;
        _go.Release();
        try { mine(); }
        finally { _done.Wait(); }
        if (_error is { } e) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
    }

    public void Dispose()
    {
        _stopping = true;
        _go.Release();
        _thread.Join();
        _go.Dispose();
        _done.Dispose();
    }
}
