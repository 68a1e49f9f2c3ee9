using System.CommandLine;
using System.Globalization;
using HpcLearn.Tasks.Recommend;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn recommend MODEL --user U [--k 10]</c> or <c>hpclearn recommend MODEL --similar-to ITEM [--k 10]</c>.</summary>
internal static class RecommendCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("model") { Description = "model folder of a recommend run (runs/NAME/model)" };
        var user = new Option<string?>("--user") { Description = "user id as in the training data: recommend the items with the highest predicted rating (score, for a model trained on implicit feedback) that this user has not rated or interacted with" };
        var similar = new Option<string?>("--similar-to") { Description = "item id as in the training data: the items nearest to it in the model's embedding space" };
        var k = new Option<int>("--k") { Description = "number of items to list", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "print the list as JSON (rank, item, score, title when there is one; cold_start when a baseline ranked it) instead of a table" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("recommend", "top-k items for a user, or items similar to an item, from a trained recommend model; unknown ids get a baseline's list, flagged")
        {
            model, user, similar, k, json, threads,
        };
        cmd.SetAction(r =>
        {
            string? u = r.GetValue(user), item = r.GetValue(similar);
            if ((u is null) == (item is null))
                throw new UserError("give exactly one of --user USER or --similar-to ITEM");
            CommonOptions.ApplyThreadsQuietly(r.GetValue(threads), r.GetValue(model));
            using var recommender = Recommender.Load(r.GetValue(model)!);
            var list = u is not null ? recommender.Recommend(u, r.GetValue(k)) : recommender.SimilarTo(item!, r.GetValue(k));
            if (r.GetValue(json))
            {
                stdout.WriteLine(RecommendJson.Of(list, u, item, r.GetValue(k)));
                return CliApp.Ok;
            }
            Print(list, u is not null ? $"top {r.GetValue(k)} for user '{u}'" : $"{r.GetValue(k)} items most similar to '{item}'"
                + (recommender.State.Title(item ?? "") is { Length: > 0 } t ? $" ({t})" : ""), stdout);
            return CliApp.Ok;
        });
        return cmd;
    }

    private static void Print(RecommendationList list, string heading, TextWriter stdout)
    {
        if (list.ColdStart is not null) stdout.WriteLine($"note: {list.ColdStart}");
        stdout.WriteLine(heading + ":");
        int idWidth = Math.Max(4, list.Items.Select(i => i.Item.Length).DefaultIfEmpty(0).Max());
        bool titles = list.Items.Any(i => i.Title.Length > 0);
        stdout.WriteLine($"{"rank",4}  {"item".PadRight(idWidth)}  {list.ScoreName,17}{(titles ? "  title" : "")}");
        foreach (var i in list.Items)
        {
            string score = i.Score.ToString(list.ScoreName.StartsWith("training ", StringComparison.Ordinal) ? "F0" : "F4", CultureInfo.InvariantCulture);
            stdout.WriteLine($"{i.Rank,4}  {i.Item.PadRight(idWidth)}  {score,17}{(titles ? "  " + i.Title : "")}".TrimEnd());
        }
    }
}
