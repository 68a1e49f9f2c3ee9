using System.Text.RegularExpressions;

namespace HpcLearn.Cluster.Preflight;

/// <summary>
/// For a job of several ranks: whether srun knows the plug-in of <c>cluster.srun_mpi</c>, and whether
/// the libmpi hpclearn would load under it matches that launcher. Open MPI starts through PMIx;
/// MPICH, Intel MPI and Cray MPICH through PMI-2 (<c>cray_shasta</c> on Cray). A mismatch starts
/// every rank as a world of one. Checked from this machine, so it is skipped when the job loads
/// modules or runs setup lines of its own (they may bring another MPI).
/// </summary>
internal static partial class MpiLaunchCheck
{
    public static IEnumerable<PreflightFinding> Run(PreflightPlan plan, ICommandRunner commands, IReadOnlyDictionary<string, string> environment)
    {
        var c = plan.Cluster;
        int tasks = c.Nodes * c.NtasksPerNode;
        if (tasks <= 1 || c.SrunMpi == "none") yield break;

        var list = commands.Run("srun", ["--mpi=list"]);
        if (list.Ok && Plugins(list.StdOut + "\n" + list.StdErr) is { Count: > 0 } plugins && !plugins.Contains(c.SrunMpi))
            yield return PreflightFinding.Warning($"{plan.Name("srun_mpi")} {c.SrunMpi}: srun here has no such MPI plug-in (srun --mpi=list: {string.Join(", ", plugins)}); " +
                "the ranks would not start: choose one of those");

        if (c.Modules.Count > 0 || c.Setup.Count > 0) yield break;
        bool pmix = c.SrunMpi.StartsWith("pmix", StringComparison.Ordinal);
        bool pmi = c.SrunMpi is "pmi2" or "cray_shasta";
        if (!pmix && !pmi) yield break;
        // Under srun --mpi=pmi2 the ranks see PMI_RANK, so hpclearn tries the MPICH names first (MpiLibrary.NamesFor).
        var names = pmix ? MpiLibrary.DefaultNames : MpiLibrary.MpichFirstNames;
        bool known = true;
        string? library = environment.GetValueOrDefault("HPCLEARN_LIBMPI") is { Length: > 0 } forced ? forced : FirstFound(names, commands, environment, out known);
        if (library is null && !known) yield break; // no ldconfig to ask: nothing to say
        if (library is null)
        {
            yield return PreflightFinding.Warning($"{tasks} ranks need an MPI library, but none is found here ({string.Join(", ", names)}; ldconfig -p, LD_LIBRARY_PATH): " +
                "add your site's MPI module to cluster.modules, or set HPCLEARN_LIBMPI");
            yield break;
        }
        var flavour = FlavourOf(library);
        if (pmix && flavour == MpiFlavour.Mpich)
            yield return PreflightFinding.Warning($"srun --mpi={c.SrunMpi} ({plan.Name("srun_mpi")}) with {Path.GetFileName(library)}, an MPICH-family library: " +
                "MPICH, Intel MPI and Cray MPICH start through PMI-2, so each rank would be a world of one; set cluster.srun_mpi: pmi2 (cray_shasta on Cray), or load Open MPI");
        else if (pmi && flavour == MpiFlavour.OpenMpi)
            yield return PreflightFinding.Warning($"srun --mpi={c.SrunMpi} ({plan.Name("srun_mpi")}) with {Path.GetFileName(library)}, Open MPI: " +
                "Open MPI starts through PMIx, so each rank would be a world of one; set cluster.srun_mpi: pmix, or load an MPICH-family MPI");
    }

    /// <summary>The plug-in names in <c>srun --mpi=list</c>'s output (one per line, after a header; older Slurm prefixes <c>srun: </c>).</summary>
    internal static List<string> Plugins(string output) => output.Split('\n')
        .Select(l => l.Trim())
        .Select(l => l.StartsWith("srun:", StringComparison.Ordinal) ? l["srun:".Length..].Trim() : l)
        // "specific pmix plugin versions available: pmix_v4" names versions --mpi also takes.
        .SelectMany(l => l.Contains("available:", StringComparison.Ordinal) ? l[(l.IndexOf("available:", StringComparison.Ordinal) + 10)..].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries) : [l])
        .Where(l => PluginName().IsMatch(l))
        .Distinct().ToList();

    /// <summary>The flavour a library's file name says: <c>libmpi.so.40</c> Open MPI, <c>libmpich*</c> and <c>libmpi.so.12</c> MPICH; null when it does not say.</summary>
    internal static MpiFlavour? FlavourOf(string library)
    {
        string name = Path.GetFileName(library);
        if (name.Contains("mpich", StringComparison.OrdinalIgnoreCase) || name.StartsWith("libmpi.so.12", StringComparison.Ordinal)) return MpiFlavour.Mpich;
        if (name.StartsWith("libmpi.so.40", StringComparison.Ordinal)) return MpiFlavour.OpenMpi;
        return null;
    }

    // The first of names that the dynamic loader would find: in LD_LIBRARY_PATH, else in ldconfig's cache.
    // known is false when ldconfig could not be asked (then "not found" means nothing).
    private static string? FirstFound(IReadOnlyList<string> names, ICommandRunner commands, IReadOnlyDictionary<string, string> environment, out bool known)
    {
        var dirs = (environment.GetValueOrDefault("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var ldconfig = commands.Run("ldconfig", ["-p"]);
        known = ldconfig.Ok;
        var cached = ldconfig.Ok
            ? ldconfig.StdOut.Split('\n').Select(l => l.Trim().Split(' ')[0]).ToHashSet()
            : [];
        foreach (var name in names)
        {
            if (dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists) is { } file) return file;
            if (cached.Contains(name)) return name;
        }
        return null;
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]*$")]
    private static partial Regex PluginName();
}
