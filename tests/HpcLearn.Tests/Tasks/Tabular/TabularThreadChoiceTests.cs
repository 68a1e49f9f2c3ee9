using System.Text.Json.Nodes;
using HpcLearn.Runs;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Tests.Cli;
using TorchSharp.Modules;
using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>A small tabular network trains on one libtorch thread unless the user chose the count (TabularThreadChoice).</summary>
public sealed class TabularThreadChoiceTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void One_thread_only_for_a_small_step_on_the_cpu_with_a_default_count()
    {
        Assert.Equal(1, TabularThreadChoice.For(2, defaulted: true, cpu: true, 1.5e6).Threads);
        Assert.Contains("threads: 1 instead of 2: the network is small (1.5M multiply-adds a training step, under 50M)", TabularThreadChoice.For(2, true, true, 1.5e6).Note);
        Assert.Contains("--threads 8 keeps 8", TabularThreadChoice.For(8, true, true, 49e6).Note);
        Assert.Equal((2, null), TabularThreadChoice.For(2, defaulted: true, cpu: true, 50e6));     // large enough to split
        Assert.Equal((2, null), TabularThreadChoice.For(2, defaulted: false, cpu: true, 1e6));     // --threads 2 or threads: 2
        Assert.Equal((4, null), TabularThreadChoice.For(4, defaulted: true, cpu: false, 1e6));     // CUDA: the host threads do not train
        Assert.Equal((1, null), TabularThreadChoice.For(1, defaulted: true, cpu: true, 1e6));
    }

    [Fact]
    public void Multiply_adds_per_row_are_those_of_the_built_networks_matrix_products()
    {
        foreach (bool skip in new[] { false, true })
        {
            var config = new TabularConfig { Data = new TabularDataOptions { BuiltinRows = 300 }, Model = new TabularModelOptions { Layers = [40, 24, 8], LinearSkip = skip } };
            var data = TabularData.Prepare(config, TextWriter.Null);
            using var model = new TabularModel(data.Schema, config.Model);
            // The oracle: every Linear layer of the built network multiplies each row by its (out, in) weight.
            double expected = model.modules().OfType<Linear>().Sum(l => (double)l.weight!.shape[0] * l.weight!.shape[1]);
            Assert.Equal(expected, TabularModel.MultiplyAddsPerRow(data.Schema, config.Model));
        }
    }

    [SkippableFact]
    public void The_cli_trains_a_small_network_on_one_thread_and_records_it_unless_threads_are_given()
    {
        Skip.If(Environment.ProcessorCount < 2, "one core: there is no second thread to leave out");
        var quiet = new Dictionary<string, string?> { ["HPCLEARN_BUSY_CHECK"] = "off" };
        JsonNode Inputs(string root) => JsonNode.Parse(File.ReadAllText(Path.Combine(root, "quickstart", "inputs.json")))!;

        using (var p = CliProcess.StartWith(quiet, "quickstart", "--out", _dir["default"], "--epochs", "1"))
        {
            Assert.Equal(0, p.WaitForExit(TimeSpan.FromMinutes(3)));
            Assert.Contains($"threads: 1 instead of {Environment.ProcessorCount}: the network is small (1.5M multiply-adds", p.Output);
            Assert.Equal(1, Inputs(_dir["default"])["threads"]!.GetValue<int>());
        }
        using (var p = CliProcess.StartWith(quiet, "quickstart", "--out", _dir["asked"], "--epochs", "1", "--threads", "2"))
        {
            Assert.Equal(0, p.WaitForExit(TimeSpan.FromMinutes(3)));
            Assert.DoesNotContain("instead of", p.Output);
            Assert.Equal(2, Inputs(_dir["asked"])["threads"]!.GetValue<int>());
        }
    }
}
