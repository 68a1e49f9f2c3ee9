using TorchSharp;

namespace HpcLearn.Tests.Tasks.Text;

/// <summary>
/// libtorch on one thread for the test's duration, then back as it was: tiny models gain nothing
/// from a second thread, and on a busy machine its spin-waiting multiplies their time.
/// Use only in the non-parallel collection (the thread count is process-wide).
/// </summary>
internal sealed class OneThread : IDisposable
{
    private readonly int _before = torch.get_num_threads();

    public OneThread() => torch.set_num_threads(1);

    public void Dispose() => torch.set_num_threads(_before);
}
