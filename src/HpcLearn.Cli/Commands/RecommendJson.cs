using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Tasks.Recommend;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>recommend --json</c>: the list the table prints. No placeholders: <c>user</c> or <c>similar_to</c>
/// (whichever was asked), <c>title</c> only for items that have one, <c>cold_start</c> only when a
/// baseline ranked the list instead of the model (it says which baseline, and why).
/// </summary>
internal static class RecommendJson
{
    public static string Of(RecommendationList list, string? user, string? similarTo, int k)
    {
        var json = new JsonObject();
        if (user is not null) json["user"] = user;
        if (similarTo is not null) json["similar_to"] = similarTo;
        json["k"] = k;
        json["score_name"] = list.ScoreName;
        if (list.ColdStart is not null) json["cold_start"] = list.ColdStart;
        var items = new JsonArray();
        foreach (var i in list.Items)
        {
            var item = new JsonObject { ["rank"] = i.Rank, ["item"] = i.Item, ["score"] = i.Score };
            if (i.Title.Length > 0) item["title"] = i.Title;
            items.Add(item);
        }
        json["items"] = items;
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
