using HpcLearn.Runs;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Runs;

/// <summary>Input fingerprints (files and folders) and the rerun's verdict by the run's determinism.</summary>
public sealed class RunInputsTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void A_folder_is_its_files_count_size_and_one_digest_and_any_change_is_named()
    {
        _tmp.Write("images/cat/1.png", "one");
        _tmp.Write("images/dog/2.png", "two!");
        string folder = _tmp["images"];
        var then = InputFingerprint.Of("data.path", folder);
        Assert.Equal((InputFingerprint.FolderKind, 2, 7L), (then.Kind, then.Files, then.Bytes));
        Assert.Null(then.Difference(InputFingerprint.Of("data.path", folder)));

        _tmp.Write("images/dog/2.png", "two?");
        Assert.Equal($"data folder '{folder}' (data.path) changed since the run: same size (7 bytes) but another SHA-256 ({then.Sha256[..12]}… then, " +
            $"{InputFingerprint.Of("data.path", folder).Sha256[..12]}… now)", then.Difference(InputFingerprint.Of("data.path", folder)));
        _tmp.Write("images/dog/3.png", "3");
        Assert.Equal($"data folder '{folder}' (data.path) changed since the run: 2 files then, 3 files now", then.Difference(InputFingerprint.Of("data.path", folder)));
        // A file moved to another class folder is another data set, though the bytes are the same.
        File.Delete(_tmp["images/dog/3.png"]);
        _tmp.Write("images/dog/2.png", "two!");
        File.Move(_tmp["images/cat/1.png"], _tmp["images/dog/1.png"]);
        Assert.NotNull(then.Difference(InputFingerprint.Of("data.path", folder)));
    }

    [Fact]
    public void Bit_for_bit_flags_any_difference_and_a_tolerance_only_large_ones()
    {
        var original = new Dictionary<string, double> { ["accuracy"] = 0.865, ["log_loss"] = 0.2833, ["train_examples_per_second"] = 900 };
        var close = new Dictionary<string, double> { ["accuracy"] = 0.866, ["log_loss"] = 0.2833, ["train_examples_per_second"] = 1200 };

        var exact = RerunComparison.Of(original, close, exactExpected: true, "same build", sameWeights: null);
        Assert.Equal(["accuracy", "log_loss"], exact.Metrics.Select(m => m.Metric)); // timings are not compared
        Assert.True(exact.Flagged);
        Assert.True(exact.Metrics[0].Flagged);
        Assert.False(exact.Metrics[1].Flagged);

        var tolerant = RerunComparison.Of(original, close, exactExpected: false, "another CPU", sameWeights: false);
        Assert.False(tolerant.Flagged);
        Assert.StartsWith("reproduced within tolerance (1%): 1 of 2 metrics equal", tolerant.Verdict);

        var far = RerunComparison.Of(original, new Dictionary<string, double> { ["accuracy"] = 0.80 }, exactExpected: false, "another CPU", sameWeights: null);
        Assert.True(far.Metrics[0].Flagged);
        Assert.True(far.Metrics[1].Flagged); // missing from the rerun
        Assert.Contains("<< differs", far.ToText());
    }
}
