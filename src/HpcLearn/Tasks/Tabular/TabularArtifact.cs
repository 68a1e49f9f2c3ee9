using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Tabular;

/// <summary>The tabular part of model.json: architecture options, schema, training prior.</summary>
public static class TabularArtifact
{
    /// <summary>The <c>details</c> object written into model.json (temperature: logits are divided by it before softmax).</summary>
    public static JsonObject Details(TabularSchema schema, TabularModelOptions model, double[] trainPrior, double? temperature = null) => new()
    {
        ["temperature"] = temperature,
        ["architecture"] = JsonSerializer.SerializeToNode(model, CheckpointStore.Json),
        ["schema"] = JsonSerializer.SerializeToNode(schema, CheckpointStore.Json),
        ["train_prior"] = JsonSerializer.SerializeToNode(trainPrior, CheckpointStore.Json),
    };

    /// <summary>Reads the details back; a <see cref="UserError"/> naming the file if anything is missing.</summary>
    public static (TabularSchema Schema, TabularModelOptions Model, double[] TrainPrior, double Temperature) Read(ModelManifest manifest, string path)
    {
        try
        {
            var schema = manifest.Details["schema"].Deserialize<TabularSchema>(CheckpointStore.Json);
            var model = manifest.Details["architecture"].Deserialize<TabularModelOptions>(CheckpointStore.Json);
            var prior = manifest.Details["train_prior"].Deserialize<double[]>(CheckpointStore.Json);
            if (schema is null || model is null || prior is null) throw new JsonException("a section is null");
            // Models written before calibration existed have no temperature: 1 leaves them as they were.
            double temperature = manifest.Details["temperature"]?.GetValue<double>() ?? 1.0;
            if (!(temperature > 0)) throw new JsonException("temperature must be positive");
            return (schema, model, prior, temperature);
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new UserError($"{path}: the tabular details (schema, architecture, train_prior) are missing or damaged; retrain the model", e);
        }
    }
}
