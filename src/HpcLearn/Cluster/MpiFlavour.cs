namespace HpcLearn.Cluster;

/// <summary>The two binary interfaces of MPI libraries in use on clusters.</summary>
public enum MpiFlavour
{
    /// <summary>Open MPI (<c>libmpi.so.40</c>): handles are addresses of exported globals.</summary>
    OpenMpi,
    /// <summary>MPICH and its family (Intel MPI, Cray MPICH, MVAPICH; <c>libmpi.so.12</c>): handles are integers.</summary>
    Mpich,
}
