using HpcLearn.Data;
using Xunit;

namespace HpcLearn.Tests.Data;

public sealed class DataSplitTests
{
    private static void AssertPartition(int n, int[] train, int[] valid)
    {
        Assert.Empty(train.Intersect(valid));
        Assert.Equal(Enumerable.Range(0, n), train.Concat(valid).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(valid.Order(), valid);
    }

    [Fact]
    public void Random_split_is_a_sorted_partition_of_the_requested_size()
    {
        var (train, valid) = DataSplit.Random(1000, 0.2, seed: 7);

        AssertPartition(1000, train, valid);
        Assert.Equal(200, valid.Length);
    }

    [Fact]
    public void Random_split_is_deterministic_for_a_seed()
    {
        Assert.Equal(DataSplit.Random(500, 0.3, 1).Valid, DataSplit.Random(500, 0.3, 1).Valid);
        Assert.NotEqual(DataSplit.Random(500, 0.3, 1).Valid, DataSplit.Random(500, 0.3, 2).Valid);
    }

    [Fact]
    public void Tiny_data_still_gets_one_row_on_each_side()
    {
        var (train, valid) = DataSplit.Random(2, 0.01, 0);
        Assert.Single(train);
        Assert.Single(valid);
    }

    [Fact]
    public void Stratified_split_keeps_each_class_share_within_one_row()
    {
        var labels = Enumerable.Range(0, 997).Select(i => i % 10 < 6 ? "a" : i % 10 < 9 ? "b" : "c").ToArray();

        var (train, valid) = DataSplit.Stratified(labels, 0.25, seed: 3);

        AssertPartition(labels.Length, train, valid);
        foreach (var cls in labels.Distinct())
        {
            var total = labels.Count(l => l == cls);
            var inValid = valid.Count(r => labels[r] == cls);
            Assert.InRange(inValid, total * 0.25 - 1, total * 0.25 + 1);
        }
    }

    [Fact]
    public void Stratified_split_is_deterministic_and_gives_small_classes_a_valid_example()
    {
        string?[] labels = ["x", "y", "x", "x", "y", "x", "x", "x", "x", "x"];

        var first = DataSplit.Stratified(labels, 0.1, seed: 5);

        Assert.Equal(first.Valid, DataSplit.Stratified(labels, 0.1, seed: 5).Valid);
        Assert.Contains(first.Valid, r => labels[r] == "y");
        Assert.Contains(first.Valid, r => labels[r] == "x");
    }

    [Fact]
    public void Class_with_one_example_is_refused()
    {
        string?[] labels = ["a", "a", "b", "a", "c", "c"];
        Assert.Equal("class 'b' has only 1 example; a stratified split needs at least 2 per class: remove those rows or set data.split: random",
            Assert.Throws<UserError>(() => DataSplit.Stratified(labels, 0.2, 0)).Message);
    }

    [Fact]
    public void Missing_labels_are_counted_in_the_error()
    {
        string?[] labels = ["a", null, "a", "b", null, "b"];
        Assert.Equal("2 rows have a missing label; a stratified split needs a label on every row: remove those rows",
            Assert.Throws<UserError>(() => DataSplit.Stratified(labels, 0.2, 0)).Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Fraction_must_be_strictly_between_zero_and_one(double fraction)
    {
        var error = Assert.Throws<UserError>(() => DataSplit.Random(10, fraction, 0));
        Assert.StartsWith("the validation fraction must be between 0 and 1 (exclusive), not ", error.Message);
        Assert.Throws<UserError>(() => DataSplit.Stratified(["a", "a"], fraction, 0));
    }

    [Fact]
    public void One_row_cannot_be_split() =>
        Assert.Equal("cannot split 1 row into training and validation sets; the data needs at least 2 rows",
            Assert.Throws<UserError>(() => DataSplit.Random(1, 0.2, 0)).Message);
}
