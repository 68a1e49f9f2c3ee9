namespace HpcLearn.Cluster;

/// <summary>
/// Collectives over the system's MPI (Open MPI or the MPICH family), called through P/Invoke on
/// <c>MPI_COMM_WORLD</c>. Initialises MPI if nobody has (MPI_Init_thread, serialized), and
/// finalises it once when the last communicator opened here is disposed; MPI cannot be started
/// again in the same process after that.
/// <para>
/// Errors keep MPI's default handler, MPI_ERRORS_ARE_FATAL: when a rank dies (killed, crashed,
/// out of memory), the launcher (mpirun, srun) sees it and ends the other ranks, so the job exits
/// non-zero instead of hanging in a collective. An error code that does come back is thrown as an
/// <see cref="MpiException"/> carrying MPI_Error_string's text.
/// </para>
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    private const int ThreadSerialized = 2; // same value in Open MPI and MPICH
    private static readonly object Gate = new();
    private static int _open;
    private static bool _initialisedHere;
    private static bool _finalised;

    private readonly MpiLibrary _mpi;
    private bool _disposed;

    private MpiCommunicator(MpiLibrary mpi)
    {
        _mpi = mpi;
        int rank, size;
        _mpi.Check(_mpi.CommRank(_mpi.CommWorld, &rank), "MPI_Comm_rank");
        _mpi.Check(_mpi.CommSize(_mpi.CommWorld, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        Name = _mpi.Version();
    }

    /// <summary>
    /// Opens MPI from <paramref name="library"/> (a file name or path), or from the first of
    /// <c>libmpi.so.40</c> (Open MPI), <c>libmpi.so.12</c>/<c>libmpich.so.12</c> (MPICH family), <c>libmpi.so</c>
    /// that loads, MPICH's first when an MPICH launcher started the process (<see cref="MpiLibrary.NamesFor"/>).
    /// </summary>
    /// <exception cref="DllNotFoundException">No MPI library could be loaded; the message lists each attempt.</exception>
    public static MpiCommunicator Open(string? library = null)
    {
        var names = library is null ? MpiLibrary.NamesFor(EnvironmentSnapshot.Current()) : [library];
        var mpi = MpiLibrary.TryLoad(names, out var failures)
            ?? throw new DllNotFoundException("no MPI library could be loaded: " + string.Join("; ", failures));
        return Open(mpi);
    }

    internal static MpiCommunicator Open(MpiLibrary mpi)
    {
        lock (Gate)
        {
            if (_finalised) throw new InvalidOperationException("MPI was already finalised in this process; it cannot be started again");
            int flag;
            mpi.Check(mpi.Initialized(&flag), "MPI_Initialized");
            if (flag == 0)
            {
                int provided;
                mpi.Check(mpi.InitThread(null, null, ThreadSerialized, &provided), "MPI_Init_thread");
                _initialisedHere = true;
            }
            var comm = new MpiCommunicator(mpi);
            _open++;
            return comm;
        }
    }

    /// <inheritdoc />
    public int Rank { get; }
    /// <inheritdoc />
    public int Size { get; }
    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Open MPI or the MPICH family.</summary>
    public MpiFlavour Flavour => _mpi.Flavour;

    /// <summary>
    /// Most elements passed to one MPI call: MPI counts are C ints, and very large messages
    /// hit limits in some transports, so longer spans go in chunks of this many.
    /// </summary>
    internal int ChunkElements { get; set; } = 1 << 28;

    /// <inheritdoc />
    public void AllReduceSum(Span<float> data) => AllReduce(data, _mpi.Float, _mpi.Sum);
    /// <inheritdoc />
    public void AllReduceSum(Span<double> data) => AllReduce(data, _mpi.Double, _mpi.Sum);
    /// <inheritdoc />
    public void AllReduceMax(Span<float> data) => AllReduce(data, _mpi.Float, _mpi.Max);
    /// <inheritdoc />
    public void AllReduceMax(Span<double> data) => AllReduce(data, _mpi.Double, _mpi.Max);
    /// <inheritdoc />
    public void Broadcast(Span<float> data, int root) => Bcast(data, _mpi.Float, root);
    /// <inheritdoc />
    public void Broadcast(Span<double> data, int root) => Bcast(data, _mpi.Double, root);
    /// <inheritdoc />
    public void Broadcast(Span<byte> data, int root) => Bcast(data, _mpi.Byte, root);

    /// <inheritdoc />
    public void AllGather(Span<float> data, ReadOnlySpan<int> counts) => Gather(data, counts, _mpi.Float);
    /// <inheritdoc />
    public void AllGather(Span<double> data, ReadOnlySpan<int> counts) => Gather(data, counts, _mpi.Double);

    /// <inheritdoc />
    public void Barrier()
    {
        CheckOpen();
        _mpi.Check(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");
    }

    private void AllReduce<T>(Span<T> data, nint type, nint op) where T : unmanaged
    {
        CheckOpen();
        fixed (T* p = data)
            for (int at = 0; at < data.Length; at += ChunkElements)
            {
                int n = Math.Min(ChunkElements, data.Length - at);
                _mpi.Check(_mpi.Allreduce((void*)_mpi.InPlace, p + at, n, type, op, _mpi.CommWorld), "MPI_Allreduce");
            }
    }

    // MPI_Allgatherv in place: each rank's segment starts where the counts before it end.
    private void Gather<T>(Span<T> data, ReadOnlySpan<int> counts, nint type) where T : unmanaged
    {
        CheckOpen();
        ICommunicator.CheckSegments(data.Length, counts, Size);
        Span<int> displacements = Size <= 256 ? stackalloc int[Size] : new int[Size];
        for (int r = 1; r < Size; r++) displacements[r] = displacements[r - 1] + counts[r - 1];
        fixed (T* p = data)
        fixed (int* c = counts)
        fixed (int* d = displacements)
            _mpi.Check(_mpi.Allgatherv((void*)_mpi.InPlace, 0, type, p, c, d, type, _mpi.CommWorld), "MPI_Allgatherv");
    }

    private void Bcast<T>(Span<T> data, nint type, int root) where T : unmanaged
    {
        CheckOpen();
        if (root < 0 || root >= Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"ranks are 0 to {Size - 1}");
        fixed (T* p = data)
            for (int at = 0; at < data.Length; at += ChunkElements)
            {
                int n = Math.Min(ChunkElements, data.Length - at);
                _mpi.Check(_mpi.Bcast(p + at, n, type, root, _mpi.CommWorld), "MPI_Bcast");
            }
    }

    private void CheckOpen() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Finalises MPI when this is the last open communicator and MPI was initialised here.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (--_open > 0 || !_initialisedHere) return;
            int done;
            _mpi.Check(_mpi.Finalized(&done), "MPI_Finalized");
            if (done == 0) _mpi.Check(_mpi.Finalize(), "MPI_Finalize");
            _finalised = true;
        }
    }
}
