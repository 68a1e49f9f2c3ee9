using HpcLearn.Tasks.Recommend;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

public sealed class RatingsSplitterTests
{
    private static RatingsLog Log(bool timestamps, params (string U, string I, long T)[] rows) =>
        new("f", rows.Select((r, k) => new Rating(r.U, r.I, 3, r.T, k + 1)).ToList(), 0, 0, timestamps, true);

    [Fact]
    public void Leave_last_out_holds_out_each_users_latest_rating_and_keeps_single_ratings()
    {
        var log = Log(true, ("a", "x", 5), ("a", "y", 9), ("b", "x", 1), ("a", "z", 7), ("c", "x", 3), ("c", "y", 3));
        var (train, test) = RatingsSplitter.LeaveLastOut(log);
        Assert.Equal([1, 5], test);              // a's t=9; c's tie goes to the later line; b has one rating
        Assert.Equal([0, 2, 3, 4], train);
    }

    [Fact]
    public void Leave_last_out_without_timestamps_says_what_to_set()
    {
        var e = Assert.Throws<UserError>(() => RatingsSplitter.LeaveLastOut(Log(false, ("a", "x", 0), ("a", "y", 0))));
        Assert.Equal("f: split leave_last_out needs a timestamp column; set data.timestamp_column, or use split: random", e.Message);
    }

    [Fact]
    public void Random_split_is_disjoint_covers_everything_and_repeats_for_a_seed()
    {
        var (train, test) = RatingsSplitter.Random(100, 0.2, 3);
        Assert.Equal(20, test.Length);
        Assert.Equal(Enumerable.Range(0, 100), train.Concat(test).Order());
        Assert.Equal(test, RatingsSplitter.Random(100, 0.2, 3).Test);
    }

    [Fact]
    public void Id_map_keeps_first_appearance_order_and_flags_unknown_ids()
    {
        var map = IdMap.FirstAppearance(["b", "a", "b", "c"]);
        Assert.Equal(["b", "a", "c"], map.Ids);
        Assert.Equal(1, map.Find("a"));
        Assert.Equal(-1, map.Find("zz"));
    }
}
