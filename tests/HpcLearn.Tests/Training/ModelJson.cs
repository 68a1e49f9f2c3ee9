using System.Text.Json.Nodes;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Training;

/// <summary>Edits a model folder's model.json in place, as a damaged or forged file would read.</summary>
internal static class ModelJson
{
    public static string PathIn(string modelDir) => Path.Combine(modelDir, ModelArtifact.ManifestFile);

    /// <summary>Applies <paramref name="edit"/> to the whole manifest and writes it back.</summary>
    public static void Edit(string modelDir, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(PathIn(modelDir)), documentOptions: new() { AllowTrailingCommas = false })!.AsObject();
        edit(root);
        File.WriteAllText(PathIn(modelDir), root.ToJsonString(ModelArtifact.JsonOptions));
    }

    /// <summary>Applies <paramref name="edit"/> to <c>details</c>.</summary>
    public static void EditDetails(string modelDir, Action<JsonObject> edit) => Edit(modelDir, m => edit(m["details"]!.AsObject()));

    /// <summary>Copies a model folder, so one good folder serves several damaged copies.</summary>
    public static string Copy(string modelDir, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(modelDir)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        return to;
    }

    /// <summary>The message of the <see cref="UserError"/> <paramref name="act"/> throws.</summary>
    public static string Error(Action act) => Assert.Throws<UserError>(act).Message;

    /// <summary>The suffix every architecture error ends with.</summary>
    public const string Damaged = "the file is damaged or was not written by hpclearn";
}
