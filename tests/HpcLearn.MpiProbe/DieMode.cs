using System.Diagnostics;
using HpcLearn.Cluster;

namespace HpcLearn.MpiProbe;

/// <summary>
/// Ranks all-reduce in a loop; rank 1 kills itself with SIGKILL after 100 rounds, leaving rank 0
/// blocked in an all-reduce. The launcher must then end the job with a non-zero exit code.
/// Rank 0 gives up by itself (exit 0, which the test counts as a failure) after 120 s.
/// </summary>
internal static class DieMode
{
    public static int Run()
    {
        using var comm = Communicator.Create(ClusterEnvironment.Current());
        var clock = Stopwatch.StartNew();
        var buffer = new float[1000];
        for (int i = 0; clock.Elapsed < TimeSpan.FromSeconds(120); i++)
        {
            comm.AllReduceSum(buffer);
            if (comm.Rank == 0 && i % 50 == 0) Console.WriteLine($"rank 0: round {i}");
            if (comm.Rank == 1 && i == 100)
            {
                Console.WriteLine("rank 1: SIGKILL to myself");
                Process.GetCurrentProcess().Kill(); // SIGKILL on Unix: no handlers, no clean-up
            }
            Thread.Sleep(5);
        }
        Console.WriteLine($"rank {comm.Rank}: still running after 120 s");
        return 0;
    }
}
