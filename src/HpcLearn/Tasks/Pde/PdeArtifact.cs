using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HpcLearn.Runs;
using HpcLearn.Training;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Pde;

/// <summary>What model.json's <c>details</c> holds for a PINN: the equation, the domain and the network's shape.</summary>
public sealed record PdeArtifact
{
    /// <summary>The equation's name (burgers, heat, poisson).</summary>
    [JsonPropertyName("equation")] public string Equation { get; init; } = "";
    /// <summary>Input variables in order: (x, t) or (x, y).</summary>
    [JsonPropertyName("variables")] public string[] Variables { get; init; } = [];
    /// <summary>Lower corner of the domain.</summary>
    [JsonPropertyName("lower")] public double[] Lower { get; init; } = [];
    /// <summary>Upper corner of the domain.</summary>
    [JsonPropertyName("upper")] public double[] Upper { get; init; } = [];
    /// <summary>Layer widths, inputs first.</summary>
    [JsonPropertyName("layers")] public int[] Layers { get; init; } = [];
    /// <summary>Hidden activation.</summary>
    [JsonPropertyName("activation")] public string Activation { get; init; } = "tanh";
    /// <summary>Whether the weights are float64.</summary>
    [JsonPropertyName("float64")] public bool Float64 { get; init; }
    /// <summary>Whether the conditions are built into the output (the equation's <see cref="PdeProblems.HardFor"/> form).</summary>
    [JsonPropertyName("hard_constraints")] public bool HardConstraints { get; init; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The details of a trained solver.</summary>
    public static PdeArtifact Of(PinnSolver solver) => new()
    {
        Equation = solver.Problem.Name,
        Variables = solver.Problem.Domain.Variables.ToArray(),
        Lower = solver.Model.Lower.ToArray(),
        Upper = solver.Model.Upper.ToArray(),
        Layers = solver.Model.Sizes.ToArray(),
        Activation = solver.Model.Activation,
        Float64 = solver.Model.Dtype == ScalarType.Float64,
        HardConstraints = solver.Model.Hard is not null,
    };

    /// <summary>As a JSON object for <see cref="HpcLearn.Runs.ModelManifest.Details"/>.</summary>
    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, Json)!.AsObject();

    /// <summary>An untrained network of this shape (load the weights into it).</summary>
    public PinnModel CreateModel()
    {
        var hard = HardConstraints
            ? PdeProblems.HardFor(Equation) ?? throw new UserError($"the model of '{Equation}' was trained with its conditions built into the output, which only the C# problem knows; predict with PinnSolver.Predict in your own code")
            : null;
        return new(Layers, Lower, Upper, Float64 ? ScalarType.Float64 : ScalarType.Float32, Activation) { Hard = hard };
    }

    // Bounds before the network is built: a forged width must not allocate gigabytes, an empty box must not give infinities.
    private void Check(ArchitectureCheck c)
    {
        c.Depth("details.layers (count)", Layers.Length, min: 2);
        for (int i = 0; i < Layers.Length; i++) c.Width($"details.layers[{i}]", Layers[i]);
        if (Activation is not ("tanh" or "sin")) throw c.Error("details.activation", $"is '{Activation}'; it must be tanh or sin");
        for (int i = 0; i < Lower.Length; i++)
        {
            c.Finite($"details.lower[{i}]", Lower[i]);
            c.Finite($"details.upper[{i}]", Upper[i]);
            if (!(Lower[i] < Upper[i])) throw c.Error($"details.lower[{i}]", $"is {Lower[i]}, not below upper[{i}] = {Upper[i]}");
        }
        double count = 0;
        for (int i = 0; i + 1 < Layers.Length; i++) count += (Layers[i] + 1.0) * Layers[i + 1];
        c.Parameters(count);
    }

    /// <summary>Reads the details of <paramref name="modelDir"/>'s model.json.</summary>
    public static PdeArtifact FromJson(JsonObject details, string modelDir)
    {
        try
        {
            var a = details.Deserialize<PdeArtifact>(Json);
            if (a is null || a.Variables.Length < 1 || a.Layers.Length < 2 || a.Layers[0] != a.Variables.Length
                || a.Lower.Length != a.Variables.Length || a.Upper.Length != a.Variables.Length)
                throw new UserError($"{modelDir}/model.json: the pde details are incomplete; train the model again");
            a.Check(new ArchitectureCheck($"{modelDir}/model.json"));
            return a;
        }
        catch (JsonException e)
        {
            throw new UserError($"{modelDir}/model.json: unreadable pde details ({e.Message}); train the model again");
        }
    }
}
