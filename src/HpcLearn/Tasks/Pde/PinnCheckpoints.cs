using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// A PINN run's checkpoints: <c>checkpoints/step-002500.ckpt</c> (the step counts Adam and L-BFGS
/// iterations together), <see cref="CheckpointContainer"/> files with magic <c>HPCLPINN</c> and the
/// blocks <c>meta</c> (the network's shape, the points' settings and the config as JSON) and
/// <c>state</c> (the solver's: <see cref="PinnSolver.SaveState"/>).
/// A resume with another equation, network or points is refused before anything loads; one with
/// other budgets (more L-BFGS iterations, say) goes on with a warning.
/// </summary>
public sealed class PinnCheckpoints(string folder, int keep)
{
    private readonly CheckpointFolder _store = new(folder, "step", "HPCLPINN", keep);

    /// <summary>What must match for a checkpoint to be resumed, and the config it was written with.</summary>
    public sealed record Meta
    {
        /// <summary>Equation, domain and network.</summary>
        [JsonPropertyName("shape")] public PdeArtifact Shape { get; init; } = new();
        /// <summary>Collocation points.</summary>
        [JsonPropertyName("collocation_points")] public int CollocationPoints { get; init; }
        /// <summary>Initial/boundary points.</summary>
        [JsonPropertyName("boundary_points")] public int BoundaryPoints { get; init; }
        /// <summary>The seed of the points and the initial weights.</summary>
        [JsonPropertyName("seed")] public int Seed { get; init; }
        /// <summary>The run's config.</summary>
        [JsonPropertyName("config")] public string Config { get; init; } = "";
    }

    /// <summary>The folder.</summary>
    public string Folder => _store.Folder;

    /// <summary>The meta of <paramref name="solver"/> under <paramref name="config"/>.</summary>
    public static Meta Describe(PinnSolver solver, PdeConfig config, string yaml) => new()
    {
        Shape = PdeArtifact.Of(solver), CollocationPoints = config.Pde.CollocationPoints,
        BoundaryPoints = config.Pde.BoundaryPoints, Seed = config.Seed, Config = yaml,
    };

    /// <summary>Writes the solver's state; returns the path.</summary>
    public string Save(PinnSolver solver, Meta meta)
    {
        using var state = new MemoryStream();
        using (var w = new BinaryWriter(state, Encoding.UTF8, leaveOpen: true)) solver.SaveState(w);
        return _store.Save($"step-{solver.AdamSteps + solver.LbfgsIterations:D6}.ckpt", new CheckpointBlocks()
            .Add(CheckpointBlocks.Meta, JsonSerializer.SerializeToUtf8Bytes(meta, ModelArtifact.JsonOptions))
            .Add("state", state.ToArray()));
    }

    /// <summary>Loads the newest valid checkpoint into <paramref name="solver"/>, or says why it cannot.</summary>
    public void Resume(PinnSolver solver, Meta expected, TextWriter log)
    {
        var found = _store.Latest(m => log.WriteLine("warning: " + m))
            ?? throw RunFolder.NoValidCheckpoint(Folder);
        var (path, blocks) = found;
        var meta = JsonSerializer.Deserialize<Meta>(blocks[CheckpointBlocks.Meta], ModelArtifact.JsonOptions)
            ?? throw new UserError($"--resume: {path} has no metadata; start the run again without --resume");
        string Shape(Meta m) => JsonSerializer.Serialize(m with { Config = "" }, ModelArtifact.JsonOptions);
        if (Shape(meta) != Shape(expected))
            throw new UserError($"--resume: {path} was written for {Describe(meta)}, but the config gives {Describe(expected)}; " +
                                "resume with the config the run was started with, or give the run a new name");
        using (var r = new BinaryReader(new MemoryStream(blocks["state"]))) solver.LoadState(r);
        log.WriteLine($"resuming from {path} (Adam {solver.AdamSteps}, L-BFGS {solver.LbfgsIterations} iterations done)");
        if (meta.Config.Trim() != expected.Config.Trim())
            log.WriteLine("warning: the config differs from the one the checkpoint was written with (budgets and tolerances follow the new one)");
    }

    private static string Describe(Meta m) =>
        $"{m.Shape.Equation} with layers [{string.Join(", ", m.Shape.Layers)}] {m.Shape.Activation} {(m.Shape.Float64 ? "float64" : "float32")}{(m.Shape.HardConstraints ? " with hard constraints" : "")}, " +
        $"{m.CollocationPoints} collocation and {m.BoundaryPoints} boundary points, seed {m.Seed}";
}
