using System.Runtime.InteropServices;
using System.Text;

namespace HpcLearn.Cluster;

/// <summary>
/// The system's libmpi, loaded at run time, with the few entry points and handles we use.
/// Open MPI's handles are addresses of exported globals (<c>ompi_mpi_comm_world</c>, ...) and
/// <c>MPI_IN_PLACE</c> is 1; MPICH-family handles are integers from <c>mpi.h</c> and
/// <c>MPI_IN_PLACE</c> is -1. The flavour is told by the exports, not the file name (Open MPI
/// 1.10 was also <c>libmpi.so.12</c>). MPICH's handles are C <c>int</c>s; we pass them as
/// pointer-sized values, which the LP64 calling conventions (x86-64, AArch64, ppc64le) make
/// identical for non-negative values, and every handle we use is positive.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>Library names tried in order when HPCLEARN_LIBMPI is not set and the launcher says nothing.</summary>
    public static readonly IReadOnlyList<string> DefaultNames = ["libmpi.so.40", "libmpi.so.12", "libmpich.so.12", "libmpi.so"];

    /// <summary>MPICH-family names first: what a PMI launcher (MPICH's hydra <c>mpiexec</c>) started.</summary>
    public static readonly IReadOnlyList<string> MpichFirstNames = ["libmpi.so.12", "libmpich.so.12", "libmpi.so.40", "libmpi.so"];

    /// <summary>
    /// The names to try for the launcher that started this process: Open MPI's <c>mpirun</c> sets
    /// <c>OMPI_COMM_WORLD_*</c>, MPICH's <c>mpiexec</c> sets <c>PMI_RANK</c>/<c>PMI_SIZE</c> alone.
    /// On a machine with both libraries the library must match the launcher, or each rank
    /// initialises as a world of one.
    /// </summary>
    public static IReadOnlyList<string> NamesFor(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        bool openMpi = environment.ContainsKey("OMPI_COMM_WORLD_SIZE");
        bool pmi = environment.ContainsKey("PMI_SIZE") || environment.ContainsKey("PMI_RANK");
        return pmi && !openMpi ? MpichFirstNames : DefaultNames;
    }

    private const int RtldNow = 0x2, RtldGlobal = 0x100;

    private MpiLibrary(nint handle, string name)
    {
        Name = name;
        Flavour = NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out nint world) ? MpiFlavour.OpenMpi : MpiFlavour.Mpich;
        if (Flavour == MpiFlavour.OpenMpi)
        {
            CommWorld = world;
            Float = NativeLibrary.GetExport(handle, "ompi_mpi_float");
            Double = NativeLibrary.GetExport(handle, "ompi_mpi_double");
            Byte = NativeLibrary.GetExport(handle, "ompi_mpi_byte");
            Sum = NativeLibrary.GetExport(handle, "ompi_mpi_op_sum");
            Max = NativeLibrary.GetExport(handle, "ompi_mpi_op_max");
            InPlace = 1;
        }
        else
        {
            // MPICH's mpi.h (also Intel MPI, Cray MPICH, MVAPICH: the MPICH ABI).
            CommWorld = 0x44000000;
            Float = 0x4c00040a;
            Double = 0x4c00080b;
            Byte = 0x4c00010d;
            Sum = 0x58000003;
            Max = 0x58000001;
            InPlace = -1;
        }
        Initialized = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(handle, "MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(handle, "MPI_Finalized");
        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)NativeLibrary.GetExport(handle, "MPI_Init_thread");
        Finalize = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)NativeLibrary.GetExport(handle, "MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)NativeLibrary.GetExport(handle, "MPI_Comm_size");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)NativeLibrary.GetExport(handle, "MPI_Allreduce");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)NativeLibrary.GetExport(handle, "MPI_Bcast");
        Allgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int>)NativeLibrary.GetExport(handle, "MPI_Allgatherv");
        Barrier = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(handle, "MPI_Barrier");
        ErrorStringFn = (delegate* unmanaged<int, byte*, int*, int>)NativeLibrary.GetExport(handle, "MPI_Error_string");
        LibraryVersionFn = NativeLibrary.TryGetExport(handle, "MPI_Get_library_version", out nint v) ? (delegate* unmanaged<byte*, int*, int>)v : null;
    }

    /// <summary>The name or path it was loaded from.</summary>
    public string Name { get; }
    /// <summary>Open MPI or MPICH family.</summary>
    public MpiFlavour Flavour { get; }
    public nint CommWorld { get; }
    public nint Float { get; }
    public nint Double { get; }
    public nint Byte { get; }
    public nint Sum { get; }
    public nint Max { get; }
    public nint InPlace { get; }

    public readonly delegate* unmanaged<int*, int> Initialized;
    public readonly delegate* unmanaged<int*, int> Finalized;
    public readonly delegate* unmanaged<int*, byte***, int, int*, int> InitThread;
    public readonly delegate* unmanaged<int> Finalize;
    public readonly delegate* unmanaged<nint, int*, int> CommRank;
    public readonly delegate* unmanaged<nint, int*, int> CommSize;
    public readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce;
    public readonly delegate* unmanaged<void*, int, nint, int, nint, int> Bcast;
    public readonly delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int> Allgatherv;
    public readonly delegate* unmanaged<nint, int> Barrier;
    private readonly delegate* unmanaged<int, byte*, int*, int> ErrorStringFn;
    private readonly delegate* unmanaged<byte*, int*, int> LibraryVersionFn;

    /// <summary>
    /// Loads the first of <paramref name="candidates"/> that loads and exports MPI, or returns null
    /// with why each failed in <paramref name="failures"/>.
    /// </summary>
    public static MpiLibrary? TryLoad(IEnumerable<string> candidates, out List<string> failures)
    {
        failures = new();
        _ = dlerror(); // binds dlerror now: binding it later (a dlopen of libc) would clear the error we want to read
        foreach (var name in candidates)
        {
            // RTLD_GLOBAL: Open MPI loads its plugins (mca_*.so) with dlopen, and those resolve
            // symbols from libmpi; with .NET's default local loading they may not find them.
            nint h = dlopen(name, RtldNow | RtldGlobal);
            if (h == 0)
            {
                failures.Add($"{name}: {Marshal.PtrToStringUTF8(dlerror()) ?? "not found"}");
                continue;
            }
            if (!NativeLibrary.TryGetExport(h, "MPI_Init_thread", out _))
            {
                failures.Add($"{name}: loads, but has no MPI_Init_thread (not an MPI library?)");
                continue;
            }
            return new MpiLibrary(h, name);
        }
        return null;
    }

    /// <summary>Throws <see cref="MpiException"/> with MPI's error string when <paramref name="rc"/> is not MPI_SUCCESS.</summary>
    public void Check(int rc, string call)
    {
        if (rc != 0) throw new MpiException($"{call} failed: {ErrorString(rc)} (MPI error {rc})", rc);
    }

    /// <summary>MPI's text for an error code.</summary>
    public string ErrorString(int code)
    {
        byte* buf = stackalloc byte[1024]; // MPI_MAX_ERROR_STRING: 256 in Open MPI, 512 in MPICH
        int len = 0;
        if (ErrorStringFn(code, buf, &len) != 0 || len <= 0) return "unknown error";
        return Encoding.UTF8.GetString(buf, Math.Min(len, 1024)).TrimEnd('\0');
    }

    /// <summary>The library's own version line, e.g. <c>Open MPI v4.1.4, ...</c>.</summary>
    public string Version()
    {
        if (LibraryVersionFn == null) return Flavour.ToString();
        var buf = new byte[8192]; // MPI_MAX_LIBRARY_VERSION_STRING: 256 in Open MPI, 8192 in MPICH
        int len = 0;
        fixed (byte* p = buf)
            if (LibraryVersionFn(p, &len) != 0) return Flavour.ToString();
        string text = Encoding.UTF8.GetString(buf, 0, Math.Clamp(len, 0, buf.Length)).TrimEnd('\0');
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? Flavour.ToString();
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint dlopen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern nint dlerror();
}
