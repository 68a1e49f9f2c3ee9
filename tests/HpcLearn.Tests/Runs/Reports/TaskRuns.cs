using System.Globalization;
using System.Text;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using CliRunner = HpcLearn.Tests.Cli.Cli;

namespace HpcLearn.Tests.Runs.Reports;

/// <summary>A tiny finished run of each of the eight tasks, made through the command line as a user makes it.</summary>
internal static class TaskRuns
{
    /// <summary>Every task, in the README's order.</summary>
    public static readonly string[] Tasks = ["tabular", "vision", "audio", "recommend", "text", "pde", "games", "cluster"];

    /// <summary>The tasks whose rows have an epoch (the Learner's); the others leave the column empty.</summary>
    public static bool HasEpochs(string task) => task is "tabular" or "vision" or "audio" or "recommend";

    private static readonly Dictionary<string, string> Configs = new()
    {
        ["tabular"] = "data: {builtin_rows: 200}\nmodel: {layers: [8]}\ntrain: {epochs: 2}\n",
        ["vision"] = "data: {source: galaxies, count: 120, image_size: 16}\nmodel: {widths: [4], hidden: 8}\ntrain: {epochs: 2, batch_size: 32}\n",
        ["audio"] = "data: {source: birdcalls, per_class: 6}\naudio: {clip_seconds: 0.5, n_fft: 256, n_mels: 16}\nmodel: {widths: [4], hidden: 8}\ntrain: {epochs: 2, batch_size: 16}\n",
        ["recommend"] = "data: {synthetic: {users: 40, items: 30, ratings: 600}}\nmodel: {factors: 4}\ntrain: {epochs: 2, batch_size: 64}\n",
        ["text"] = "data: {builtin_sentences: 200, block_size: 16}\nmodel: {layers: 1, heads: 2, embedding: 16, dropout: 0.0}\ntrain: {batch_size: 8, lr: 0.01}\n" +
                   "steps: {total: 20, warmup: 5, eval_every: 10, eval_batches: 2, checkpoint_every: 10}\n",
        ["pde"] = "pde: {equation: heat, boundary_points: 10, collocation_points: 60, adam_iterations: 15, lbfgs_iterations: 10}\nmodel: {layers: [8], float64: true}\n",
        ["games"] = "game: tic_tac_toe\nmodel: {channels: 8, blocks: 1, value_hidden: 8}\n" +
                    "selfplay: {iterations: 2, games_per_iteration: 4, games_in_flight: 4, simulations: 8, steps_per_iteration: 3, eval_games: 2, final_games: 4, judge_positions: 10, agent_simulations: 8}\n" +
                    "final_opponents: [random]\ntrain: {batch_size: 16}\n",
    };

    /// <summary>Trains <paramref name="task"/> into <c>tmp/runs/NAME</c> (cluster: <c>hpclearn cluster</c> with a k range into <c>tmp/runs/cluster</c>); returns the run folder.</summary>
    public static string Train(TempFolder tmp, string task)
    {
        string run = Path.Combine(tmp["runs"], task);
        if (task == "cluster")
        {
            var blobs = ClusterData.Blobs(150, 3, 2, 0.5, seed: 1);
            var csv = new StringBuilder("c0,c1\n");
            for (int i = 0; i < blobs.N; i++)
                csv.Append(string.Create(CultureInfo.InvariantCulture, $"{blobs.Data[2 * i]:R},{blobs.Data[2 * i + 1]:R}\n"));
            CliRunner.Run("cluster", tmp.Write("blobs.csv", csv.ToString()), "--k", "2..4", "--out", run).AssertOk();
            return run;
        }
        string config = tmp.Write($"{task}.yaml", $"task: {task}\nname: {task}\nthreads: 1\n{Configs[task]}");
        CliRunner.Run("train", config, "--out", tmp["runs"]).AssertOk(allowStderr: true);
        return run;
    }
}
