namespace HpcLearn.Cluster;

/// <summary>
/// Ranks as an MPI launcher gives them to each process: Open MPI's <c>OMPI_COMM_WORLD_*</c>,
/// or the PMI variables of MPICH-family launchers (Hydra's <c>mpiexec</c>, Intel MPI).
/// </summary>
internal sealed record MpiLaunch(int Size, int Rank, int LocalRank, int? LocalSize, string Source)
{
    /// <summary>The launcher's variables, or null when no MPI launcher started this process.</summary>
    public static MpiLaunch? Read(EnvironmentReader env)
    {
        if (env.Has("OMPI_COMM_WORLD_SIZE") || env.Has("OMPI_COMM_WORLD_RANK"))
            return Checked(new MpiLaunch(
                env.Positive("OMPI_COMM_WORLD_SIZE") ?? Missing("OMPI_COMM_WORLD_SIZE"),
                env.NonNegative("OMPI_COMM_WORLD_RANK") ?? Missing("OMPI_COMM_WORLD_RANK"),
                env.NonNegative("OMPI_COMM_WORLD_LOCAL_RANK") ?? 0,
                env.Positive("OMPI_COMM_WORLD_LOCAL_SIZE"),
                "Open MPI mpirun"), "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE");
        if (env.Has("PMI_SIZE") || env.Has("PMI_RANK"))
            return Checked(new MpiLaunch(
                env.Positive("PMI_SIZE") ?? Missing("PMI_SIZE"),
                env.NonNegative("PMI_RANK") ?? Missing("PMI_RANK"),
                env.NonNegative("MPI_LOCALRANKID") ?? 0,
                env.Positive("MPI_LOCALNRANKS"),
                "PMI (MPICH-family mpiexec)"), "PMI_RANK", "PMI_SIZE");
        return null;
    }

    private static int Missing(string name)
        => throw new UserError($"{name} is not set, but other MPI launcher variables are; {EnvironmentReader.Fix(name)}");

    private static MpiLaunch Checked(MpiLaunch m, string rankName, string sizeName)
    {
        if (m.Rank >= m.Size)
            throw new UserError($"{rankName} is {m.Rank}, but {sizeName} is {m.Size}: a rank must be below the size; {EnvironmentReader.Fix(rankName)}");
        return m;
    }
}
