using System.Text.Json;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>A penguins-like JSON file (spaces and units in the keys, nulls) trained from a YAML config.</summary>
public sealed class TabularPenguinsTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    // Per species: island(s) and the mean beak length, beak depth, flipper length and body mass.
    private static readonly (string Species, string[] Islands, double[] Means)[] Species =
    [
        ("Adelie", ["Torgersen", "Biscoe", "Dream"], [38.8, 18.3, 190, 3700]),
        ("Chinstrap", ["Dream"], [48.8, 18.4, 196, 3730]),
        ("Gentoo", ["Biscoe"], [47.5, 15.0, 217, 5080]),
    ];

    private static readonly string[] Measures = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];
    private static readonly double[] Spread = [1.0, 0.4, 3, 120];

    /// <summary>60 records, 20 per species, with clearly separated clusters and some nulls.</summary>
    public static string WritePenguins(string path)
    {
        var random = new Random(11);
        var records = new List<Dictionary<string, object?>>();
        for (int i = 0; i < 60; i++)
        {
            var (species, islands, means) = Species[i % 3];
            var r = new Dictionary<string, object?> { ["Species"] = species, ["Island"] = islands[random.Next(islands.Length)] };
            for (int m = 0; m < Measures.Length; m++)
            {
                double v = means[m] + Spread[m] * (2 * random.NextDouble() - 1);
                r[Measures[m]] = (i + m) % 13 == 5 ? null : Math.Round(v, 1);
            }
            r["Sex"] = i % 11 == 3 ? null : (random.Next(2) == 0 ? "MALE" : "FEMALE");
            records.Add(r);
        }
        File.WriteAllText(path, JsonSerializer.Serialize(records, new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    [Fact]
    public void Trains_from_a_yaml_config_to_high_accuracy()
    {
        var data = WritePenguins(_tmp["penguins.json"]);
        Assert.Contains("\"Beak Depth (mm)\": null", File.ReadAllText(data));
        var yaml = _tmp.Write("penguins.yaml", $"""
            task: tabular
            name: penguins
            seed: 1
            data:
              path: '{data}'
              target: Species
            model:
              layers: [16]
              dropout: 0
            train:
              epochs: 15
              batch_size: 8
              lr: 0.01
            """);
        var config = ConfigLoader.Load(yaml, [], n => TaskRegistry.Find(n)?.ConfigType);
        var log = new StringWriter();
        var summary = TaskRegistry.Get(config.Task).Train(config, new RunContext { Out = log, RunsRoot = _tmp["runs"], TensorBoard = false });

        Assert.Contains($"data: {data}: 60 rows (48 training, 12 validation), 7 columns (4 numeric, 3 categorical)", log.ToString());
        Assert.Contains("target 'Species' (classification, 3 classes); features: 4 numeric + 2 categorical", log.ToString());
        Assert.True(summary.Metrics["accuracy"] >= 0.9, $"accuracy {summary.Metrics["accuracy"]}\n{log}");
        Assert.True(summary.BeatsBaseline);

        using var predictor = TabularPredictor.Load(Path.Combine(_tmp["runs"], "penguins", "model"));
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], predictor.Schema.Target.Classes);
        Assert.Equal(["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Island", "Sex"],
            predictor.Schema.FeatureNames);
    }
}
