using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary>Vision config mistakes through <c>hpclearn train</c>: one line, exit code 2, no run folder.</summary>
public sealed class CliVisionErrorTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    private CliResult Train(string data) =>
        Cli.Run("train", _tmp.Write("v.yaml", $"task: vision\nname: v\ndata:\n{data}"), "--out", _tmp["runs"]);

    [Fact]
    public void An_unknown_image_source_names_the_key()
    {
        Train("  source: webcam\n").AssertUserError("data.source: 'webcam' is not an image source; use folder, csv, idx or galaxies");
        Assert.False(Directory.Exists(_tmp["runs/v"]));
    }

    [Fact]
    public void A_missing_idx_folder_says_what_it_must_hold()
    {
        Train($"  source: idx\n  path: {_tmp["nope"]}\n").AssertUserError(
            $"{_tmp["nope"]}: no such folder; data.path must be a folder with train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]");
    }

    [Fact]
    public void A_folder_source_without_a_path_and_a_bad_size_name_their_keys()
    {
        Train("  source: folder\n").AssertUserError("data.path: required for data.source folder (the folder of the images)");
        Train("  image_size: 4\n").AssertUserError("data.image_size: 4; use 8 to 1024 pixels");
    }

    public void Dispose() => _tmp.Dispose();
}
