using TorchSharp;

namespace HpcLearn.Tests.Tasks.Games;

/// <summary>
/// One libtorch thread for the duration (restored on dispose). The games networks are tiny: with
/// two threads on a busy machine every small op waits for the second thread to be scheduled, and
/// a few hundred steps took minutes instead of seconds.
/// </summary>
internal sealed class OneTorchThread : IDisposable
{
    private readonly int _before = torch.get_num_threads();

    public OneTorchThread() => HpcLearn.TorchRuntime.SetThreads(1);

    public void Dispose() => HpcLearn.TorchRuntime.SetThreads(_before);
}
