using HpcLearn.Tests.Data;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Training;

public sealed class RunFolderTests
{
    [Fact]
    public void A_new_run_creates_its_folder()
    {
        using var dir = new TempDir();
        var run = RunFolder.Open(Path.Combine(dir.Path, "runs"), "exp", resume: false, fresh: false);

        Assert.Equal(Path.Combine(dir.Path, "runs", "exp"), run.Root);
        Assert.True(Directory.Exists(run.Root));
        Assert.Equal(Path.Combine(run.Root, "checkpoints"), run.CheckpointDir);
        Assert.Equal(Path.Combine(run.Root, "model"), run.ModelDir);
    }

    [Fact]
    public void An_empty_existing_folder_is_reused()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "exp"));
        Assert.Equal(Path.Combine(dir.Path, "exp"), RunFolder.Open(dir.Path, "exp", false, false).Root);
    }

    [Fact]
    public void A_used_folder_without_resume_is_a_user_error_and_is_left_alone()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "exp");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "metrics.csv"), "epoch\n1\n");

        var e = Assert.Throws<UserError>(() => RunFolder.Open(dir.Path, "exp", resume: false, fresh: false));

        Assert.Equal($"run folder '{path}' already exists; add --resume to continue it, or choose another name (--set name=...) or --out DIR", e.Message);
        Assert.Equal("epoch\n1\n", File.ReadAllText(Path.Combine(path, "metrics.csv")));
    }

    [Fact]
    public void Fresh_takes_the_next_free_name()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "exp", "exp-2" })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, name));
            File.WriteAllText(Path.Combine(dir.Path, name, "config.yaml"), "");
        }

        Assert.Equal(Path.Combine(dir.Path, "exp-3"), RunFolder.Open(dir.Path, "exp", resume: false, fresh: true).Root);
        File.WriteAllText(Path.Combine(dir.Path, "exp-3", "config.yaml"), "");
        Assert.Equal(Path.Combine(dir.Path, "exp-4"), RunFolder.Open(dir.Path, "exp", resume: false, fresh: true).Root);
    }

    [Fact]
    public void Fresh_on_an_unused_name_keeps_the_name()
    {
        using var dir = new TempDir();
        Assert.Equal(Path.Combine(dir.Path, "exp"), RunFolder.Open(dir.Path, "exp", resume: false, fresh: true).Root);
    }

    [Fact]
    public void Resume_opens_an_existing_folder_and_refuses_a_missing_one()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "exp");

        var e = Assert.Throws<UserError>(() => RunFolder.Open(dir.Path, "exp", resume: true, fresh: false));
        Assert.Equal($"--resume: run folder '{path}' does not exist; start the run without --resume first", e.Message);
        Assert.False(Directory.Exists(path));

        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "config.yaml"), "x");
        Assert.Equal(path, RunFolder.Open(dir.Path, "exp", resume: true, fresh: false).Root);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    public void A_name_that_is_not_a_plain_folder_name_is_a_user_error(string name)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<UserError>(() => RunFolder.Open(dir.Path, name, false, false));
        Assert.Equal($"run name '{name}' must be a plain folder name (no '/'); set name: in the config", e.Message);
    }
}
