using System.Text.Json.Nodes;
using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

using HpcLearn.Tests.Training;

namespace HpcLearn.Tests.Runs;

public sealed class ModelArtifactTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string ModelDir => Path.Combine(_dir.Path, "model");
    private string ManifestPath => Path.Combine(ModelDir, ModelArtifact.ManifestFile);

    private static ModelManifest Manifest(string task = "tabular") => new()
    {
        Task = task,
        Metrics = new() { ["rmse"] = 0.25 },
        Provenance = new Provenance { Seed = 3, Config = "seed: 3\n" },
        Details = new JsonObject { ["layers"] = new JsonArray(16) },
    };

    [Fact]
    public void Save_then_load_into_a_fresh_model_gives_identical_outputs()
    {
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny();
        t.Learner.Fit(1);
        using var expected = t.Learner.Predict([t.ValidX]);

        ModelArtifact.Save(ModelDir, t.Model, Manifest());
        var m = ModelArtifact.LoadManifest(ModelDir, expectedTask: "tabular");
        using var fresh = new TinyMlp();
        ModelArtifact.LoadWeights(ModelDir, fresh);
        fresh.eval();
        using var actual = fresh.forward([t.ValidX]);

        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        Assert.Equal("hpclearn-model", m.Format);
        Assert.Equal("tabular", m.Task);
        Assert.Equal(0.25, m.Metrics["rmse"]);
        Assert.Equal("seed: 3\n", m.Provenance.Config);
        Assert.Equal(16, m.Details["layers"]![0]!.GetValue<int>());
        Assert.Equal(["model.json", "model.safetensors"], Directory.GetFiles(ModelDir).Select(Path.GetFileName).Order());
        Assert.Equal([ModelDir], Directory.GetDirectories(_dir.Path));
        // The manifest file itself may be named instead of its folder.
        Assert.Equal("tabular", ModelArtifact.LoadManifest(ManifestPath).Task);
    }

    private static string Error(Action act) => Assert.Throws<UserError>(act).Message;

    [Fact]
    public void A_missing_folder_is_a_user_error()
    {
        string missing = Path.Combine(_dir.Path, "nope");
        Assert.Equal($"model folder '{missing}' not found; pass the model/ folder of a run, e.g. runs/quickstart/model",
            Error(() => ModelArtifact.LoadManifest(missing)));
    }

    [Fact]
    public void A_folder_without_model_json_is_a_user_error()
    {
        Directory.CreateDirectory(ModelDir);
        Assert.Equal($"'{ModelDir}' is not a model folder: it has no model.json; pass the model/ folder of a run, e.g. runs/quickstart/model",
            Error(() => ModelArtifact.LoadManifest(ModelDir)));
    }

    [Fact]
    public void A_model_of_another_task_is_a_user_error()
    {
        using var model = new TinyMlp();
        ModelArtifact.Save(ModelDir, model, Manifest(task: "x"));
        Assert.Equal($"{ManifestPath}: this model was made by the 'x' task, not 'tabular'; use a model trained by 'tabular'",
            Error(() => ModelArtifact.LoadManifest(ModelDir, expectedTask: "tabular")));
        Assert.Equal("x", ModelArtifact.LoadManifest(ModelDir).Task);
    }

    [Fact]
    public void Invalid_json_is_a_user_error_naming_the_line()
    {
        Directory.CreateDirectory(ModelDir);
        File.WriteAllText(ManifestPath, "{\n  \"format\": \"hpclearn-model\",\n  \"task\": oops\n}\n");
        Assert.StartsWith($"{ManifestPath}:3: not valid JSON (", Error(() => ModelArtifact.LoadManifest(ModelDir)));
    }

    [Fact]
    public void Another_format_is_a_user_error()
    {
        Directory.CreateDirectory(ModelDir);
        File.WriteAllText(ManifestPath, "{\"format\": \"onnx\", \"task\": \"tabular\"}");
        Assert.Equal($"{ManifestPath}: not an HpcLearn model (format is 'onnx', expected 'hpclearn-model')",
            Error(() => ModelArtifact.LoadManifest(ModelDir)));
    }

    [Fact]
    public void A_missing_weights_file_is_a_user_error()
    {
        using var model = new TinyMlp();
        ModelArtifact.Save(ModelDir, model, Manifest());
        File.Delete(Path.Combine(ModelDir, ModelArtifact.WeightsFile));
        Assert.Equal($"{ModelDir}: model.safetensors is missing; the model folder is incomplete",
            Error(() => ModelArtifact.LoadManifest(ModelDir)));
    }

    [Fact]
    public void Weights_of_another_architecture_are_a_user_error()
    {
        using var model = new TinyMlp(hidden: 8);
        ModelArtifact.Save(ModelDir, model, Manifest());
        using var other = new TinyMlp(hidden: 16);
        Assert.StartsWith($"{Path.Combine(ModelDir, ModelArtifact.WeightsFile)}: weights do not match the architecture in model.json (",
            Error(() => ModelArtifact.LoadWeights(ModelDir, other)));
    }

    [Fact]
    public void Saving_over_an_existing_model_replaces_it_only_when_complete()
    {
        using var scope = torch.NewDisposeScope();
        using var first = new TinyMlp();
        using var second = new TinyMlp();
        ModelArtifact.Save(ModelDir, first, Manifest());
        byte[] weights = File.ReadAllBytes(Path.Combine(ModelDir, ModelArtifact.WeightsFile));

        // The manifest cannot be serialised: the save fails after the weights are written.
        var broken = Manifest() with { Details = new JsonObject { ["bad"] = JsonValue.Create(IntPtr.Zero) } };
        Assert.ThrowsAny<Exception>(() => ModelArtifact.Save(ModelDir, second, broken));

        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(ModelDir, ModelArtifact.WeightsFile)));
        Assert.Equal("tabular", ModelArtifact.LoadManifest(ModelDir).Task);
        Assert.Equal([ModelDir], Directory.GetDirectories(_dir.Path)); // no half-written folder left behind

        ModelArtifact.Save(ModelDir, second, Manifest("other"));

        Assert.Equal("other", ModelArtifact.LoadManifest(ModelDir).Task);
        Assert.NotEqual(weights, File.ReadAllBytes(Path.Combine(ModelDir, ModelArtifact.WeightsFile)));
        Assert.Equal([ModelDir], Directory.GetDirectories(_dir.Path));
    }

    [Fact]
    public void A_format_version_newer_than_this_reader_says_to_update_hpclearn()
    {
        using var model = new TinyMlp();
        ModelArtifact.Save(ModelDir, model, Manifest());
        ModelJson.Edit(ModelDir, m => m["format_version"] = 99);
        Assert.Equal($"{ManifestPath}: format_version 99 is newer than this hpclearn reads (up to 1); update hpclearn to load this model",
            Error(() => ModelArtifact.LoadManifest(ModelDir)));
        ModelJson.Edit(ModelDir, m => m["format_version"] = 0);
        Assert.Equal($"{ManifestPath}: format_version 0 is not a version hpclearn ever wrote (they start at 1); the file is damaged",
            Error(() => ModelArtifact.LoadManifest(ModelDir)));
        ModelJson.Edit(ModelDir, m => m.Remove("format_version"));   // files from before the field: version 1
        Assert.Equal(1, ModelArtifact.LoadManifest(ModelDir).FormatVersion);
    }
}
