using HpcLearn.Runs;
using Xunit;

namespace HpcLearn.Tests.Runs;

/// <summary>
/// The derived seeds are the ones the tasks computed before they came from one function: their
/// golden tests and documented figures depend on them, so a change here must be deliberate.
/// </summary>
public sealed class SeedsTests
{
    [Theory]
    [InlineData(42, 0, 1)]
    [InlineData(42, 1, 17)]
    [InlineData(int.MaxValue, 3, 250)]   // overflow wraps, as unchecked arithmetic did
    [InlineData(-5, 2, 0)]
    public void Each_stream_gives_the_value_its_task_used_before(int seed, int rank, int index)
    {
        Assert.Equal(unchecked(seed * 7919 + index + 1_000_003 * rank), Seeds.Derive(seed, SeedStream.SelfPlay.At(index), rank));
        Assert.Equal(unchecked(seed + 1), Seeds.Derive(seed, SeedStream.Opponents, rank));
        Assert.Equal(unchecked(seed * 31 + rank), Seeds.Derive(seed, SeedStream.Dropout, rank));
        Assert.Equal(unchecked(seed + 1_000_003 * rank), Seeds.Derive(seed, SeedStream.NegativeItems, rank));
        Assert.Equal(unchecked(seed * 1_000_003 + index), Seeds.Derive(seed, SeedStream.Refinement.At(index)));
    }

    [Fact]
    public void Ranks_and_iterations_get_seeds_of_their_own()
    {
        var seeds = new HashSet<int>();
        for (int rank = 0; rank < 8; rank++)
            for (int it = 1; it <= 100; it++) Assert.True(seeds.Add(Seeds.Derive(42, SeedStream.SelfPlay.At(it), rank)));
        Assert.Equal(Seeds.Random(3, SeedStream.Dropout, 1).Next(), new Random(3 * 31 + 1).Next());
    }
}
