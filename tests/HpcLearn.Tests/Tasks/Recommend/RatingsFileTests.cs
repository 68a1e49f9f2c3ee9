using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>The ratings loader: MovieLens layouts, custom columns, and bad input with file and line.</summary>
public sealed class RatingsFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public void Reads_movielens_u_data_tab_separated_without_header()
    {
        var path = _dir.Write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n");
        var log = RatingsFile.Load(path, new RatingsLayout());
        Assert.Equal(3, log.Rows.Count);
        Assert.Equal(new Rating("196", "242", 3f, 881250949, 1), log.Rows[0]);
        Assert.Equal(new Rating("22", "377", 1f, 878887116, 3), log.Rows[2]);
        Assert.True(log.HasTimestamps);
    }

    [Fact]
    public void Reads_movielens_ratings_csv_with_header_and_half_stars()
    {
        var path = _dir.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n");
        var log = RatingsFile.Load(path, new RatingsLayout());
        Assert.Equal([new Rating("1", "1", 4f, 964982703, 2), new Rating("1", "3", 4.5f, 964981247, 3)], log.Rows);
    }

    [Fact]
    public void Reads_double_colon_separated_ratings_dat()
    {
        var path = _dir.Write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n");
        var log = RatingsFile.Load(path, new RatingsLayout());
        Assert.Equal(new Rating("1", "661", 3f, 978302109, 2), log.Rows[1]);
    }

    [Fact]
    public void String_ids_and_custom_columns_by_name_or_position()
    {
        var byName = _dir.Write("books.csv", "stars;reader;book\n5;alice;Dune\n2;bob;\"Emma; a novel\"\n");
        var log = RatingsFile.Load(byName, new RatingsLayout(User: "reader", Item: "book", Rating: "stars"));
        Assert.Equal([new Rating("alice", "Dune", 5f, 0, 2), new Rating("bob", "Emma; a novel", 2f, 0, 3)], log.Rows);
        Assert.False(log.HasTimestamps);
        var byPosition = _dir.Write("plain.tsv", "x\tu1\ti9\t7.5\n");
        var row = RatingsFile.Load(byPosition, new RatingsLayout(Separator: "tab", User: "2", Item: "3", Rating: "4")).Rows.Single();
        Assert.Equal(new Rating("u1", "i9", 7.5f, 0, 1), row);
    }

    [Fact]
    public void Duplicate_pairs_keep_the_last_rating_and_are_counted()
    {
        var path = _dir.Write("dup.csv", "user,item,rating\na,x,1\nb,x,2\na,x,5\na,x,4\n");
        var log = RatingsFile.Load(path, new RatingsLayout());
        Assert.Equal([new Rating("a", "x", 4f, 0, 5), new Rating("b", "x", 2f, 0, 3)], log.Rows);
        Assert.Equal(2, log.Duplicates);
        Assert.Equal(4, log.FirstDuplicateLine);
        Assert.Equal($"{path}: 2 repeated (user, item) pairs (first at line 4); the last rating of each pair was kept", log.DuplicateNote);
    }

    [Fact]
    public void A_rating_that_is_not_a_number_names_file_and_line()
    {
        var path = _dir.Write("bad.csv", "user,item,rating\na,x,4\nb,y,great\n");
        var e = Assert.Throws<UserError>(() => RatingsFile.Load(path, new RatingsLayout()));
        Assert.Equal($"{path}:3: rating 'great' is not a number; fix the line, or set data.rating_column if this is not the rating column", e.Message);
    }

    [Fact]
    public void A_rating_outside_the_declared_range_names_file_and_line()
    {
        var path = _dir.Write("u.data", "1\t2\t3\t10\n1\t3\t6\t11\n");
        var e = Assert.Throws<UserError>(() => RatingsFile.Load(path, new RatingsLayout(), true, 1, 5));
        Assert.Equal($"{path}:2: rating 6 is outside the declared range [1, 5]; fix the line or change data.rating_min / data.rating_max", e.Message);
    }

    [Fact]
    public void Empty_file_header_only_missing_column_and_short_line_are_refused()
    {
        var empty = _dir.Write("empty.csv", "");
        Assert.Equal($"{empty}: the file is empty; it needs one rating per line (user, item, rating[, timestamp])",
            Assert.Throws<UserError>(() => RatingsFile.Load(empty, new RatingsLayout())).Message);
        var header = _dir.Write("header.csv", "userId,movieId,rating\n");
        Assert.Equal($"{header}: has a header line but no ratings", Assert.Throws<UserError>(() => RatingsFile.Load(header, new RatingsLayout())).Message);
        var noRating = _dir.Write("norating.csv", "userId,movieId,score2\n1,2,3\n");
        Assert.Equal($"{noRating}:1: cannot tell which column is the rating (header: userId, movieId, score2); set data.rating_column",
            Assert.Throws<UserError>(() => RatingsFile.Load(noRating, new RatingsLayout())).Message);
        var shortLine = _dir.Write("short.tsv", "1\t2\t3\n4\t5\n");
        Assert.Equal($"{shortLine}:2: has 2 fields, expected at least 3 (separator 'tab'); fix the line or set data.separator",
            Assert.Throws<UserError>(() => RatingsFile.Load(shortLine, new RatingsLayout())).Message);
        Assert.Equal($"data file '{_dir["missing.csv"]}' not found", Assert.Throws<UserError>(() => RatingsFile.Load(_dir["missing.csv"], new RatingsLayout())).Message);
    }

    [Fact]
    public void Pairs_without_ratings_load_for_predict()
    {
        var path = _dir.Write("pairs.csv", "user,item\nalice,Dune\n");
        var log = RatingsFile.Load(path, new RatingsLayout(), requireRatings: false);
        Assert.False(log.HasRatings);
        Assert.Equal("Dune", log.Rows.Single().Item);
    }

    [Fact]
    public void Titles_of_u_item_are_latin1_pipe_separated_and_of_movies_csv_quoted()
    {
        var uItem = _dir["u.item"];
        File.WriteAllBytes(uItem, System.Text.Encoding.Latin1.GetBytes("1|Toy Story (1995)|01-Jan-1995||http://x\n2|Misérables, Les (1995)|01-Jan-1995||\"http://y\"\n"));
        var t = TitlesFile.Load(new TitlesOptions { Path = uItem });
        Assert.Equal("Misérables, Les (1995)", t["2"]);
        var movies = _dir.Write("movies.csv", "movieId,title,genres\n11,\"American President, The (1995)\",Comedy|Drama\n");
        Assert.Equal("American President, The (1995)", TitlesFile.Load(new TitlesOptions { Path = movies })["11"]);
    }

    public void Dispose() => _dir.Dispose();
}
