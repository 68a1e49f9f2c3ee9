using HpcLearn.Cluster;

namespace HpcLearn.MpiProbe;

/// <summary>Prints the detected environment and what MPI itself says, one line per rank.</summary>
internal static class EnvMode
{
    public static int Run()
    {
        var cluster = ClusterEnvironment.Current();
        using var comm = Communicator.Create(cluster);
        Console.WriteLine($"env rank={cluster.Rank} size={cluster.WorldSize} local={cluster.LocalRank} kind={cluster.Kind} " +
                          $"mpi_rank={comm.Rank} mpi_size={comm.Size} comm={comm.GetType().Name} desc={cluster.Description}");
        return 0;
    }
}
