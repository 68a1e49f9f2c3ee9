using System.Buffers.Binary;
using System.Text.Json.Nodes;
using HpcLearn.Runs;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The Kneser–Ney count model a text model folder carries for the mixture
/// λ P_transformer + (1 − λ) P_count (<see cref="TextMixture"/>): <c>count-model.bin</c> holds the
/// token ids it counts (the text before the validation split, 4 bytes a token), and model.json's
/// <c>details.mixture</c> its order and λ. The counts are rebuilt on load (about a second per
/// million tokens), which keeps the file simple and the model exactly the one the run scored.
/// Note that the model folder therefore contains its training text.
/// </summary>
public sealed class TextCountMixture
{
    /// <summary>The file in the model folder.</summary>
    public const string FileName = "count-model.bin";

    private static ReadOnlySpan<byte> Magic => "HPLKNv1\n"u8;

    /// <summary>Wraps a fitted count model and its weight.</summary>
    public TextCountMixture(KneserNeyModel model, double weight)
    {
        Model = model;
        Weight = weight;
    }

    /// <summary>The count model.</summary>
    public KneserNeyModel Model { get; }

    /// <summary>λ: the transformer's share.</summary>
    public double Weight { get; }

    /// <summary>model.json's <c>details.mixture</c>.</summary>
    public static JsonObject Details(int order, double weight) => new()
    {
        ["order"] = order,
        ["weight"] = weight,
        ["file"] = FileName,
    };

    /// <summary>Writes the ids the count model counts into <paramref name="modelDir"/>, atomically.</summary>
    public static void Write(string modelDir, IReadOnlyList<int> ids)
    {
        var bytes = new byte[Magic.Length + 4 + 4 * ids.Count];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Magic.Length), ids.Count);
        for (int i = 0; i < ids.Count; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Magic.Length + 4 + 4 * i), ids[i]);
        AtomicFile.WriteAllBytes(Path.Combine(modelDir, FileName), bytes);
    }

    /// <summary>Reads the mixture a model folder's details name (null when they name none).</summary>
    public static TextCountMixture? Read(string modelDir, JsonNode? details, int vocabSize)
    {
        if (details is null) return null;
        int order = (int)details["order"]!;
        double weight = (double)details["weight"]!;
        if (order is < 1 or > 10 || !(weight is >= 0 and <= 1))
            throw new FormatException($"details.mixture: order {order} must be 1 to 10 and weight {weight} in [0, 1]");
        string path = Path.Combine(modelDir, FileName);
        if (!File.Exists(path))
            throw new UserError($"{path} is missing, and model.json mixes the transformer with the count model it holds; copy the whole model folder, or train again");
        byte[] bytes = File.ReadAllBytes(path);
        int n = bytes.Length >= Magic.Length + 4 ? BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length)) : -1;
        if (!bytes.AsSpan().StartsWith(Magic) || n < 0 || bytes.Length != Magic.Length + 4 + 4L * n)
            throw new UserError($"{path} is not a count model file of this version or is truncated; train again");
        var ids = new int[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length + 4 + 4 * i));
            if ((uint)ids[i] >= (uint)vocabSize) throw new UserError($"{path}: token {i} is {ids[i]}, outside the model's {vocabSize} tokens; train again");
        }
        return new TextCountMixture(new KneserNeyModel(ids, order, vocabSize), weight);
    }

    /// <summary>
    /// The mixture's log-probabilities after <paramref name="history"/> from the transformer's
    /// next-token logits: ln(λ softmax(logits) + (1 − λ) P_count(· | history)). Sampling treats
    /// them as logits, so temperature and top-k apply to the mixture.
    /// </summary>
    public float[] Mix(float[] logits, IReadOnlyList<int> history)
    {
        var count = new double[logits.Length];
        Model.Distribution(history, count);
        double max = logits.Max(), sum = 0;
        foreach (float l in logits) sum += Math.Exp(l - max);
        var mixed = new float[logits.Length];
        for (int w = 0; w < logits.Length; w++)
            mixed[w] = (float)Math.Log(Weight * Math.Exp(logits[w] - max) / sum + (1 - Weight) * count[w]);
        return mixed;
    }
}
