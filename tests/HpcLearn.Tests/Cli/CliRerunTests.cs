using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Runs;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary>
/// <c>hpclearn rerun RUN</c>: a run trained again from its folder alone reproduces its metrics bit for
/// bit, refuses (exit 2, one line, nothing written) when an input changed or went missing, never
/// touches the original folder, and honours <c>--out</c>. Exact numbers across trainings: alone.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class CliRerunTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    // A CSV with classes p and q that a tiny model learns in two epochs.
    private string Csv(string name = "data.csv") => _tmp.Write(name,
        string.Join("\n", ["a,b,y", .. Enumerable.Range(0, 60).Select(i => $"{i % 17},{(i * 7) % 11},{(i % 3 == 0 ? "p" : "q")}")]) + "\n");

    // A finished tabular run on data.csv, one thread, in runs/csv.
    private (string Run, string Data) CsvRun()
    {
        string data = Csv();
        var config = _tmp.Write("csv.yaml", Cli.TinyYaml("csv", data: $"{{path: '{data}', target: y}}"));
        Cli.Run("train", config, "--out", _tmp["runs"], "--threads", "1").AssertOk();
        return (Path.Combine(_tmp["runs"], "csv"), data);
    }

    [Fact]
    public void A_quickstart_run_is_reproduced_bit_for_bit_and_left_untouched()
    {
        string root = _tmp["runs"];
        Cli.Run("quickstart", "--out", root, "--epochs", "2", "--threads", "1").AssertOk();
        string run = Path.Combine(root, "quickstart");
        var inputs = RunInputs.TryRead(run)!;
        Assert.Empty(inputs.Inputs); // built-in data: generated, no input files
        Assert.Equal((1, 1, 42), (inputs.Threads, inputs.Ranks, inputs.Seed));
        var before = TempFolder.Snapshot(run);

        var r = Cli.Run("rerun", run).AssertOk();

        string rerun = Path.Combine(root, "quickstart-rerun");
        Assert.Contains($"run folder: {rerun}", r.Out);
        Assert.Contains("threads 1 (as the original run)", r.Out);
        Assert.Contains("verdict: reproduced bit for bit: 7 metrics equal, weights identical", r.Out);
        Assert.Contains("weights (model.safetensors): identical bytes", r.Out);
        var original = RunStatus.ReadSummary(Path.Combine(run, "summary.json"))!.Metrics;
        var again = RunStatus.ReadSummary(Path.Combine(rerun, "summary.json"))!.Metrics;
        Assert.Equal(original.Count, again.Count);
        foreach (var (metric, value) in original) Assert.Equal(value, again[metric]); // exact doubles
        var after = TempFolder.Snapshot(run);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (file, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[file]), file + " changed");
    }

    [Fact]
    public void A_csv_run_is_reproduced_into_the_out_folder_and_refused_once_its_data_changes()
    {
        var (run, data) = CsvRun();
        var inputs = RunInputs.TryRead(run)!;
        var input = Assert.Single(inputs.Inputs);
        Assert.Equal(("data.path", data, "file", new FileInfo(data).Length), (input.Key, input.AbsolutePath, input.Kind, input.Bytes));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(data))), input.Sha256);

        var r = Cli.Run("rerun", run, "--out", _tmp["again"]).AssertOk();
        Assert.Contains("verdict: reproduced bit for bit", r.Out);
        Assert.True(File.Exists(Path.Combine(_tmp["again"], "csv-rerun", "summary.json")));
        Assert.False(Directory.Exists(Path.Combine(_tmp["runs"], "csv-rerun")));
        var before = TempFolder.Snapshot(run);

        // Same size, one byte changed: the SHA-256 tells.
        string text = File.ReadAllText(data);
        File.WriteAllText(data, text.Replace("16,", "15,", StringComparison.Ordinal));
        string sha = input.Sha256[..12], now = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(data)))[..12];
        Cli.Run("rerun", run, "--out", _tmp["refused"]).AssertUserError(
            $"data file '{data}' (data.path) changed since the run: same size ({input.Bytes:N0} bytes) but another SHA-256 ({sha}… then, {now}… now); " +
            "nothing was rerun: restore the data the run read, or train anew (hpclearn train)");

        File.WriteAllText(data, text + "3,4,p\n");
        Cli.Run("rerun", run, "--out", _tmp["refused"]).AssertUserError(
            $"data file '{data}' (data.path) changed since the run: {input.Bytes:N0} bytes then, {input.Bytes + 6:N0} bytes now; " +
            "nothing was rerun: restore the data the run read, or train anew (hpclearn train)");

        File.Delete(data);
        Cli.Run("rerun", run, "--out", _tmp["refused"]).AssertUserError(
            $"data file '{data}' (data.path) is missing; the run read {input.Bytes:N0} bytes, sha256 {sha}… there; " +
            "nothing was rerun: restore the data the run read, or train anew (hpclearn train)");
        Assert.False(Directory.Exists(_tmp["refused"]));
        var after = TempFolder.Snapshot(run);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (file, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[file]), file + " changed");
    }

    [Fact]
    public void A_metric_that_differs_where_bit_for_bit_is_expected_is_flagged_with_exit_code_4()
    {
        var (run, _) = CsvRun();
        // The original's accuracy as if it had been another: the rerun cannot match it.
        string summary = Path.Combine(run, "summary.json");
        var json = JsonNode.Parse(File.ReadAllText(summary))!.AsObject();
        json["accuracy"] = json["accuracy"]!.GetValue<double>() - 0.25;
        File.WriteAllText(summary, json.ToJsonString());

        var r = Cli.Run("rerun", run, "--json");
        Assert.True(r.ExitCode == 4, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.False(root.GetProperty("reproduced").GetBoolean());
        Assert.True(root.GetProperty("exact_expected").GetBoolean());
        var accuracy = root.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "accuracy");
        Assert.True(accuracy.GetProperty("flagged").GetBoolean());
        Assert.Equal(0.25, accuracy.GetProperty("difference").GetDouble(), 12);
        Assert.StartsWith("NOT reproduced: 1 of ", root.GetProperty("verdict").GetString());
        Assert.Contains("run folder:", r.Err); // the training log goes to stderr with --json
    }

    [Fact]
    public void Another_build_is_a_warning_and_a_tolerance()
    {
        var (run, _) = CsvRun();
        string path = Path.Combine(run, RunInputs.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["build"] = "0.0.1+0123456789abcdef";
        File.WriteAllText(path, json.ToJsonString());

        var r = Cli.Run("rerun", run).AssertOk();
        Assert.Contains($"warning: {run} was trained with hpclearn 0.0.1+0123456789abcdef, this is {Provenance.CurrentBuild}: metrics may differ in their last bits or more", r.Out);
        Assert.Contains("verdict: reproduced within tolerance (1%)", r.Out);
        Assert.Contains("another build (0.0.1+0123456789abcdef then)", r.Out);
    }

    [Fact]
    public void Other_matrix_kernels_are_a_tolerance_and_named()
    {
        var (run, _) = CsvRun();
        string path = Path.Combine(run, RunInputs.FileName);
        Assert.Equal(MklCpuPath.State, RunInputs.TryRead(run)!.MatrixKernels); // recorded as the run found it
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["matrix_kernels"] = "off: HPCLEARN_MKL_VENDOR_CHECK=keep";
        File.WriteAllText(path, json.ToJsonString());

        var r = Cli.Run("rerun", run).AssertOk();
        Assert.Contains("verdict: reproduced within tolerance (1%)", r.Out);
        Assert.Contains($"other matrix kernels (off: HPCLEARN_MKL_VENDOR_CHECK=keep then, {MklCpuPath.State} now; HPCLEARN_MKL_VENDOR_CHECK)", r.Out);
    }

    [Fact]
    public void A_run_on_several_ranks_asks_for_as_many()
    {
        var (run, _) = CsvRun();
        string path = Path.Combine(run, RunInputs.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["ranks"] = 4;
        File.WriteAllText(path, json.ToJsonString());
        Cli.Run("rerun", run).AssertUserError(
            $"{run} was trained on 4 ranks (inputs.json); rerun it on as many: mpirun -n 4 hpclearn rerun {run} (in a Slurm job: srun -n 4 hpclearn rerun {run})");
    }

    [Fact]
    public void A_folder_without_inputs_json_or_unfinished_is_refused()
    {
        Cli.Run("rerum", "runs/x").AssertUserError("unknown command 'rerum'; did you mean 'rerun'?");
        Assert.Contains("rerun <run>", Cli.Run("--help").AssertOk().Out);
        Cli.Run("rerun", _tmp["nope"]).AssertUserError($"run folder '{_tmp["nope"]}' does not exist; pass the folder that 'hpclearn train' printed (e.g. runs/NAME)");
        var (run, _) = CsvRun();
        File.Delete(Path.Combine(run, RunInputs.FileName));
        Cli.Run("rerun", run).AssertUserError(
            $"{run} has no inputs.json (trained by an hpclearn from before runs recorded their inputs): its data cannot be checked, so it cannot be rerun; train it again with hpclearn train {Path.Combine(run, "config.yaml")}");
        File.Delete(Path.Combine(run, "summary.json"));
        Cli.Run("rerun", run).AssertUserErrorStartsWith($"{run} has not finished (no summary.json of a finished run)");
    }

    [Fact]
    public void Status_and_the_report_show_the_fingerprint()
    {
        var (run, _) = CsvRun();
        var inputs = RunInputs.TryRead(run)!;
        Assert.Contains($"inputs:     {inputs.ShortDigest} (1 file, {inputs.Inputs[0].Bytes:N0} bytes)\n", Cli.Run("status", run).AssertOk().Out);
        using var doc = JsonDocument.Parse(Cli.Run("status", run, "--json").AssertOk().Out);
        Assert.Equal(inputs.Digest, doc.RootElement.GetProperty("inputs").GetProperty("digest").GetString());
        Cli.Run("report", run).AssertOk();
        Assert.Contains($"{inputs.ShortDigest} (1 file, ", File.ReadAllText(Path.Combine(run, "report.html")));
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "model", "model.json")))!["provenance"]!;
        Assert.Equal(inputs.Digest, model["inputs_digest"]!.GetValue<string>());
        Assert.Equal((1, 1), (model["threads"]!.GetValue<int>(), model["ranks"]!.GetValue<int>()));
    }
}
