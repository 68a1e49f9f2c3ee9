namespace HpcLearn.Cluster;

/// <summary>Makes the communicator a <see cref="ClusterEnvironment"/> calls for.</summary>
public static class Communicator
{
    /// <summary>
    /// A <see cref="SingleCommunicator"/> for a world of one; otherwise MPI through the system's
    /// libmpi (or the library named by <c>HPCLEARN_LIBMPI</c>), checked against the environment.
    /// </summary>
    /// <param name="cluster">The detected environment.</param>
    /// <param name="environment">Environment variables (for <c>HPCLEARN_LIBMPI</c>). Default: the process's.</param>
    public static ICommunicator Create(ClusterEnvironment cluster, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (cluster.WorldSize == 1) return new SingleCommunicator();
        var env = environment ?? EnvironmentSnapshot.Current();
        return Create(cluster, env.TryGetValue("HPCLEARN_LIBMPI", out var path) && path.Length > 0 ? path : null, MpiLibrary.NamesFor(env));
    }

    internal static ICommunicator Create(ClusterEnvironment cluster, string? libraryPath, IReadOnlyList<string> defaultNames)
    {
        var mpi = MpiLibrary.TryLoad(libraryPath is null ? defaultNames : [libraryPath], out var failures);
        if (mpi is null && libraryPath is not null)
            throw new UserError($"HPCLEARN_LIBMPI is '{libraryPath}', which could not be loaded ({string.Join("; ", failures)}); " +
                                "point it at your MPI's libmpi.so, or unset it to use the system's");
        if (mpi is null)
            throw new UserError($"this is rank {cluster.Rank} of {cluster.WorldSize}, but no MPI library was found (tried {string.Join(", ", defaultNames)}); " +
                                "install Open MPI or load your site's MPI module: module load openmpi (or set HPCLEARN_LIBMPI to the path of libmpi.so)");
        var comm = MpiCommunicator.Open(mpi);
        if (comm.Size != cluster.WorldSize || comm.Rank != cluster.Rank)
        {
            string says = $"MPI says this process is rank {comm.Rank} of {comm.Size}, but the environment says rank {cluster.Rank} of {cluster.WorldSize} ({cluster.Description}); " +
                          "start every rank through the MPI launcher: srun --mpi=pmix hpclearn ... in your sbatch script, or mpirun -np N hpclearn ...; " +
                          $"if the machine has two MPI libraries, set HPCLEARN_LIBMPI to the libmpi.so of the MPI whose launcher started the job (loaded: {comm.Name})";
            comm.Dispose();
            throw new UserError(says);
        }
        return comm;
    }
}
