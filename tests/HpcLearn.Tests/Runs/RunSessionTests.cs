using System.Text.Json.Nodes;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Tests.Config;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Tests.Training.Distributed;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Runs;

/// <summary>The run lifecycle every task goes through: open, header, seed; finish or stop; training time over attempts.</summary>
[Collection("torch-rng")]
public sealed class RunSessionTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static SampleConfig Config(int seed = 7) => new() { Task = "sample", Name = "s", Seed = seed };

    private RunContext Context(TextWriter? log = null, bool resume = false, HpcLearn.Cluster.ICommunicator? comm = null) => new()
    {
        Out = log ?? TextWriter.Null, RunsRoot = _tmp["runs"], Resume = resume, TensorBoard = false,
        Communicator = comm ?? new HpcLearn.Cluster.SingleCommunicator(),
        Environment = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "4242" },
    };

    private static RunOutcome Outcome(torch.nn.Module model, double trainSeconds) => new()
    {
        Model = model,
        Details = new JsonObject { ["width"] = 3 },
        Metrics = new Dictionary<string, double> { ["accuracy"] = 0.75 },
        Baseline = new Dictionary<string, double> { ["accuracy"] = 0.5 },
        TrainSeconds = trainSeconds,
        Summary = new RunSummary { PrimaryMetric = "accuracy", MetricsJson = RunSummary.Wrap(new Dictionary<string, double> { ["accuracy"] = 0.75 }), Epochs = 2 },
        Timings = new() { ["evaluate_seconds"] = 0.5 },
    };

    [Fact]
    public void Open_writes_config_yaml_prints_the_header_and_seeds_libtorch()
    {
        var log = new StringWriter();
        torch.manual_seed(7);
        var expected = torch.rand(4).data<float>().ToArray();
        torch.manual_seed(99);

        using (var session = RunSession.Open("sample", Config(), Context(log)))
        {
            Assert.Equal(expected, torch.rand(4).data<float>().ToArray());
            Assert.Equal(ConfigWriter.ToYaml(Config()), File.ReadAllText(session.Folder.ConfigPath));
            Assert.Equal(session.Yaml, File.ReadAllText(session.Folder.ConfigPath));
        }
        Assert.Equal($"run folder: {_tmp["runs/s"]}\ntask: sample, seed 7\n", log.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_resumed_run_keeps_its_config_yaml()
    {
        _tmp.Write("runs/s/config.yaml", "as the first attempt wrote it\n");
        var log = new StringWriter();
        using (RunSession.Open("sample", Config(), Context(log, resume: true))) { }
        Assert.Equal("as the first attempt wrote it\n", File.ReadAllText(_tmp["runs/s/config.yaml"]));
        Assert.Contains("task: sample, seed 7, resuming", log.ToString());
    }

    [Fact]
    public void A_rank_other_than_0_writes_nothing_and_still_seeds()
    {
        using var model = torch.nn.Linear(2, 1);
        torch.manual_seed(7);
        var expected = torch.rand(3).data<float>().ToArray();
        using (var session = RunSession.Open("sample", Config(), Context(comm: new FakeCommunicator(1, 2))))
        {
            Assert.Equal(expected, torch.rand(3).data<float>().ToArray());
            var summary = session.Finish(Outcome(model, 1));
            Assert.Equal(("sample", _tmp["runs/s"], 2), (summary.Task, summary.RunDir, summary.Epochs));
            Assert.True(session.Stopped(Outcome(model, 1), "cancelled").Interrupted);
        }
        Assert.False(Directory.Exists(_tmp["runs"]));
    }

    [Fact]
    public void Finish_writes_the_model_with_provenance_and_the_summary()
    {
        using var model = torch.nn.Linear(2, 1);
        var log = new StringWriter();
        RunSummary summary;
        using (var session = RunSession.Open("sample", Config(), Context(log), loadSeconds: 1.25))
            summary = session.Finish(Outcome(model, 2));

        var manifest = ModelArtifact.LoadManifest(_tmp["runs/s/model"], "sample");
        Assert.Equal((7, "4242"), (manifest.Provenance.Seed, manifest.Provenance.JobId));
        Assert.Equal(ConfigWriter.ToYaml(Config()), manifest.Provenance.Config);
        Assert.Equal(0.75, manifest.Metrics["accuracy"]);
        Assert.Equal(0.5, manifest.Baseline["accuracy"]);
        Assert.Equal(3, (int)manifest.Details["width"]!);
        Assert.Contains($"model written to {_tmp["runs/s/model"]}", log.ToString());

        var written = RunStatus.ReadSummary(_tmp["runs/s/summary.json"])!;
        Assert.False(written.Interrupted);
        Assert.DoesNotContain("interrupted", File.ReadAllText(_tmp["runs/s/summary.json"]));
        Assert.Equal(("sample", _tmp["runs/s"], "accuracy", 2), (written.Task, written.RunDir, written.PrimaryMetric, written.Epochs));
        Assert.Equal(1.25, written.Timings["load_seconds"]);
        Assert.Equal(0.5, written.Timings["evaluate_seconds"]);
        Assert.Equal(2, written.Timings["train_seconds"]);
        Assert.True(written.Timings["total_seconds"] >= 1.25);
        Assert.Equal(summary.Timings, written.Timings);
    }

    [Fact]
    public void A_stopped_attempt_leaves_a_usable_model_and_the_resumed_run_counts_every_attempts_training_time()
    {
        using var model = torch.nn.Linear(2, 1);
        var log = new StringWriter();
        using (var session = RunSession.Open("sample", Config(), Context(log)))
        {
            var stopped = session.Stopped(Outcome(model, 3) with { Metrics = new Dictionary<string, double>() }, "signal USR1 received");
            Assert.True(stopped.Interrupted);
            Assert.Equal("signal USR1 received", stopped.StopReason);
        }
        string summaryPath = _tmp["runs/s/summary.json"];
        Assert.Contains("\"interrupted\": true", File.ReadAllText(summaryPath));
        Assert.Null(RunStatus.ReadSummary(summaryPath));   // not finished: status and sweep-report say so
        using (var loaded = torch.nn.Linear(2, 1))
        {
            ModelArtifact.LoadWeights(_tmp["runs/s/model"], loaded);
            Assert.Equal(model.weight!.data<float>().ToArray(), loaded.weight!.data<float>().ToArray());
        }
        Assert.Contains("written to " + _tmp["runs/s/model"], log.ToString());

        using (var session = RunSession.Open("sample", Config(), Context(resume: true)))
            session.Finish(Outcome(model, 4));
        var finished = RunStatus.ReadSummary(summaryPath)!;
        Assert.Equal(7, finished.Timings["train_seconds"]);
        Assert.Equal(4, finished.Timings["train_seconds_last_attempt"]);
    }

    [Fact]
    public void Diverged_names_the_checkpoints_kept_and_the_advice()
    {
        using var session = RunSession.Open("sample", Config(), Context());
        var e = session.Diverged("the loss became NaN at epoch 2", RunSession.LowerLearningRate(0.03));
        Assert.Equal($"the loss became NaN at epoch 2; the last good checkpoint is kept in {_tmp["runs/s/checkpoints"]}; try a lower train.lr (now 0.03) or set train.grad_clip: 1.0", e.Message);
    }
}
