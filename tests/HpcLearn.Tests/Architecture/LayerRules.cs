using System.Reflection;

namespace HpcLearn.Tests.Architecture;

/// <summary>
/// Which namespace may use which, as <see cref="LayerTests"/> enforces it. Namespaces are named
/// relative to a root (<c>HpcLearn</c>; the fixtures use their own root), and a sub-namespace
/// belongs to its folder's component (<c>Training.Callbacks</c> is Training).
/// <list type="bullet">
/// <item><see cref="Layers"/> lists the components top to bottom; a component may use only those
/// below it. An entry <c>P.*</c> makes each child namespace of P its own component on that level
/// (the task folders), and components on one level never use each other. The root namespace holds
/// only itself (UserError, WriteFailure, TorchRuntime, Nnpack, MklCpuPath) and sits at the bottom.</item>
/// <item>Since every allowed use goes strictly down one order, no two layers can import each other
/// (no circles) without a reported violation.</item>
/// <item><see cref="Plumbing"/> (the HPC layer, Cluster) is used from outside only through its
/// interfaces, the types those interfaces' members name (records such as CommandResult), and
/// <see cref="PlumbingAllowed"/>.</item>
/// <item>A namespace that no entry covers is itself a violation: a new folder needs a place here.</item>
/// </list>
/// </summary>
internal sealed class LayerRules
{
    /// <summary>The root namespace (<c>HpcLearn</c>).</summary>
    public required string Root { get; init; }

    /// <summary>Components, top to bottom, relative to <see cref="Root"/>; "" is the root namespace itself.</summary>
    public required IReadOnlyList<string> Layers { get; init; }

    /// <summary>The component reached only through interfaces (relative name).</summary>
    public required string Plumbing { get; init; }

    /// <summary>Concrete plumbing types others may use too (relative names), each with why.</summary>
    public IReadOnlySet<string> PlumbingAllowed { get; init; } = new HashSet<string>();

    /// <summary>
    /// HpcLearn's layers: the registry of tasks (<c>Tasks</c>), the task folders (<c>Tasks.*</c>),
    /// what tasks share (<c>Tasks.Shared</c>: IMLTask, the classifier run, the CNN and ResNet),
    /// Training, Runs, Evaluation, Data, Cluster, Config (a leaf but for the root), the root.
    /// The CLI, a separate assembly above them all, may use anything.
    /// </summary>
    public static LayerRules ForHpcLearn(string root) => new()
    {
        Root = root,
        Layers = ["Tasks", "Tasks.*", "Tasks.Shared", "Training", "Runs", "Evaluation", "Data", "Cluster", "Config", ""],
        Plumbing = "Cluster",
        PlumbingAllowed = new HashSet<string>
        {
            "Cluster.SingleCommunicator",   // the communicator of one process: the default where none is injected
            "Cluster.EnvironmentSnapshot",  // the process environment as the dictionary that is injected (default only)
        },
    };

    /// <summary>The uses among <paramref name="dependencies"/> that break the rules, one per (from, to) pair, sorted.</summary>
    public IReadOnlyList<LayerViolation> Check(IEnumerable<Dependency> dependencies, Assembly assembly)
    {
        var allowed = AllowedPlumbing(assembly);
        var found = new List<LayerViolation>();
        foreach (var pair in dependencies.GroupBy(d => (d.From, d.To)))
        {
            var (from, to) = pair.Key;
            string? rule = Rule(from, to, allowed);
            if (rule is not null)
                found.Add(new LayerViolation(from, to, pair.Select(d => d.Member).Distinct().Order(StringComparer.Ordinal).ToList(), rule));
        }
        return found.OrderBy(v => v.ToString(), StringComparer.Ordinal).ToList();
    }

    /// <summary>Why <paramref name="from"/> may not use <paramref name="to"/>, or null when it may.</summary>
    private string? Rule(Type from, Type to, IReadOnlySet<Type> allowedPlumbing)
    {
        var a = Component(from.Namespace!);
        var b = Component(to.Namespace!);
        if (a is null) return $"namespace {from.Namespace} is in no layer";
        if (b is null) return $"namespace {to.Namespace} is in no layer";
        if (a.Value.Name == b.Value.Name) return null;
        string user = Display(a.Value.Name), used = Display(b.Value.Name);
        if (a.Value.Level == b.Value.Level) return $"{user} uses its sibling {used}";
        if (a.Value.Level > b.Value.Level) return $"{user} uses {used}, a layer above it";
        if (b.Value.Name == Plumbing && !allowedPlumbing.Contains(to)) return $"{user} uses {used} other than through its interfaces";
        return null;
    }

    private static string Display(string component) => component == "" ? "the root namespace" : component;

    /// <summary>The component of <paramref name="ns"/> and its level (index in <see cref="Layers"/>), or null.</summary>
    public (string Name, int Level)? Component(string ns)
    {
        if (ns != Root && !ns.StartsWith(Root + ".", StringComparison.Ordinal)) return null;
        string relative = ns == Root ? "" : ns[(Root.Length + 1)..];
        (string Name, int Level, int Score)? best = null;
        for (int level = 0; level < Layers.Count; level++)
        {
            string entry = Layers[level];
            (string Name, int Score)? match = null;
            if (entry.EndsWith(".*", StringComparison.Ordinal))
            {
                string parent = entry[..^1];   // "Tasks."
                if (relative.StartsWith(parent, StringComparison.Ordinal) && relative.Length > parent.Length)
                    match = (parent + relative[parent.Length..].Split('.')[0], parent.Length + 1);
            }
            else if (entry == "" ? relative == "" : relative == entry || relative.StartsWith(entry + ".", StringComparison.Ordinal))
                match = (entry, entry.Length + 1);
            if (match is { } m && (best is null || m.Score > best.Value.Score)) best = (m.Name, level, m.Score);
        }
        return best is { } b ? (b.Name, b.Level) : null;
    }

    /// <summary>The plumbing types others may use: interfaces, the types their members name, and <see cref="PlumbingAllowed"/>.</summary>
    private HashSet<Type> AllowedPlumbing(Assembly assembly)
    {
        var plumbing = assembly.GetTypes().Where(t => t.Namespace is { } ns && Component(ns)?.Name == Plumbing).ToList();
        var allowed = plumbing.Where(t => t.IsInterface || PlumbingAllowed.Contains(t.FullName![(Root.Length + 1)..])).ToHashSet();
        foreach (var i in plumbing.Where(t => t.IsInterface))
            foreach (var m in i.GetMethods())
                foreach (var t in m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType).SelectMany(TypeDependencies.Parts))
                    if (plumbing.Contains(t)) allowed.Add(t);
        return allowed;
    }
}
