using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Tabular;

/// <summary>The tabular part of model.json: architecture options, schema, training prior.</summary>
public static class TabularArtifact
{
    /// <summary>The <c>details</c> object written into model.json (temperature: logits are divided by it before softmax).</summary>
    public static JsonObject Details(TabularSchema schema, TabularModelOptions model, double[] trainPrior, double? temperature = null) => new()
    {
        ["temperature"] = temperature,
        // The linear skip as resolved for this schema, so a later default cannot change what the weights mean.
        ["architecture"] = JsonSerializer.SerializeToNode(model with { LinearSkip = TabularModel.UsesLinearSkip(schema, model) }, CheckpointStore.Json),
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
            // Models written before the linear skip existed have none: false leaves them as they were.
            if (model is not null) model = model with { LinearSkip = model.LinearSkip ?? false };
            var prior = manifest.Details["train_prior"].Deserialize<double[]>(CheckpointStore.Json);
            if (schema is null || model is null || prior is null) throw new JsonException("a section is null");
            // Models written before calibration existed have no temperature: 1 leaves them as they were.
            double temperature = manifest.Details["temperature"]?.GetValue<double>() ?? 1.0;
            if (!(temperature > 0)) throw new JsonException("temperature must be positive");
            Check(new ArchitectureCheck(path), schema, model, prior, temperature);
            return (schema, model, prior, temperature);
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new UserError($"{path}: the tabular details (schema, architecture, train_prior) are missing or damaged; retrain the model", e);
        }
    }

    // Bounds before the network is built: a forged width must not allocate gigabytes, a zero std must not give NaN.
    private static void Check(ArchitectureCheck c, TabularSchema schema, TabularModelOptions model, double[] prior, double temperature)
    {
        const string a = "details.architecture", s = "details.schema";
        c.Depth($"{a}.Layers", model.Layers.Count);
        for (int i = 0; i < model.Layers.Count; i++) c.Width($"{a}.Layers[{i}]", model.Layers[i]);
        if (!(model.Dropout is >= 0 and < 1)) throw c.Error($"{a}.Dropout", $"is {model.Dropout}; it must be in [0, 1)");
        c.Positive("details.temperature", temperature);
        for (int i = 0; i < schema.Numeric.Count; i++)
        {
            var f = schema.Numeric[i];
            string key = $"{s}.Numeric[{i}]";
            c.Finite($"{key}.Median (column '{f.Name}')", f.Median);
            c.Finite($"{key}.Mean (column '{f.Name}')", f.Mean);
            c.Positive($"{key}.Std (column '{f.Name}')", f.Std);
        }
        for (int i = 0; i < schema.Categorical.Count; i++)
            c.Width($"{s}.Categorical[{i}].EmbeddingSize (column '{schema.Categorical[i].Name}')", schema.Categorical[i].EmbeddingSize);
        var t = schema.Target;
        if (t.Kind == TabularKind.Classification)
        {
            c.Range($"{s}.Target.Classes (count)", t.Classes.Count, 2, ArchitectureCheck.MaxWidth);
            if (prior.Length != t.Classes.Count) throw c.Error("details.train_prior", $"has {prior.Length} counts for {t.Classes.Count} classes");
            for (int i = 0; i < prior.Length; i++)
                if (!(prior[i] is >= 0 and <= int.MaxValue)) throw c.Error($"details.train_prior[{i}]", $"is {prior[i]}; it must be a count of training rows");
        }
        else
        {
            c.Finite($"{s}.Target.Mean", t.Mean);
            c.Positive($"{s}.Target.Std", t.Std);
            if (prior.Length != 1) throw c.Error("details.train_prior", $"has {prior.Length} values; a regression model keeps one, the training mean");
            c.Finite("details.train_prior[0]", prior[0]);
        }
        c.Parameters(TabularModel.CountParameters(schema, model));
    }
}
