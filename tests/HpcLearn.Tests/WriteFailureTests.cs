using HpcLearn.Tests.Data;
using Xunit;

namespace HpcLearn.Tests;

public sealed class WriteFailureTests
{
    [Theory]
    [InlineData(28, "no space left on device; free some space or write elsewhere")]
    [InlineData(122, "disk quota exceeded; free some space or write elsewhere")]
    [InlineData(30, "read-only file system; write elsewhere")]
    [InlineData(13, "permission denied")]
    [InlineData(21, "it is a folder, not a file")]
    public void A_refusal_by_the_file_system_is_a_user_error_naming_the_path_and_the_cause(int errno, string cause)
    {
        var e = WriteFailure.Explain("runs/a/config.yaml", new IOException("from the OS", errno));
        Assert.Equal($"cannot write 'runs/a/config.yaml': {cause}", e!.Message);
    }

    [Fact]
    public void A_file_on_the_way_is_named()
    {
        using var dir = new TempDir();
        string file = dir.Write("runs", "x");
        string path = Path.Combine(file, "a");

        var e = Assert.Throws<UserError>(() => WriteFailure.CreateDirectory(path));

        Assert.Equal($"cannot create folder '{path}': '{file}' is a file, not a folder", e.Message);
    }

    [Fact]
    public void Other_failures_stay_what_they_are()
    {
        Assert.Null(WriteFailure.Explain("p", new IOException("sharing violation", 11)));
        Assert.Null(WriteFailure.Explain("p", new InvalidOperationException("a bug")));
        Assert.Null(WriteFailure.Explain("p", new FileNotFoundException("gone")));
        var bug = Assert.Throws<InvalidOperationException>(() => WriteFailure.Guard("p", () => throw new InvalidOperationException("a bug")));
        Assert.Equal("a bug", bug.Message);
    }

    [Fact]
    public void Disk_full_and_read_only_are_recognised_without_a_path_also_when_wrapped()
    {
        Assert.Equal("no space left on device; free some space or write elsewhere", WriteFailure.EnvironmentCause(new InvalidOperationException("wrapped", new IOException("x", 28))));
        Assert.Null(WriteFailure.EnvironmentCause(new IOException("permission", 13)));
    }
}
