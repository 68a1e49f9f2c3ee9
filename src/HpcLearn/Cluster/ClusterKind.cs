namespace HpcLearn.Cluster;

/// <summary>What started this process.</summary>
public enum ClusterKind
{
    /// <summary>A plain process on a laptop or login node.</summary>
    Local,
    /// <summary>A Slurm job (sbatch, salloc or srun; ranks from srun or from mpirun inside the job).</summary>
    Slurm,
    /// <summary>An MPI launcher (mpirun, mpiexec) outside Slurm.</summary>
    Mpi,
}
