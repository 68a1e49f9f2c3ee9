using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Data;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Cluster;

/// <summary>
/// A k-means model folder: <c>model.json</c> (task <c>cluster</c>; details: columns, centres in
/// the space k-means ran in, standardisation mean and scale, centres in original units) and
/// <c>model.safetensors</c> (the same centres, mean and scale as F32 tensors, readable from PyTorch).
/// New points go to the nearest centre after the same standardisation.
/// </summary>
public sealed record ClusterModel(string[] Columns, float[] Centres, int K, Standardizer Scaling, bool Standardized)
{
    /// <summary>The manifest's task name.</summary>
    public const string TaskName = "cluster";

    /// <summary>Writes the model folder <paramref name="dir"/> (created; must not hold a model yet).</summary>
    public void Save(string dir, IReadOnlyDictionary<string, double> metrics, int seed)
    {
        Directory.CreateDirectory(dir);
        int d = Columns.Length;
        var details = new JsonObject
        {
            ["algorithm"] = "k-means",
            ["k"] = K,
            ["columns"] = new JsonArray(Columns.Select(c => (JsonNode)c!).ToArray()),
            ["standardize"] = Standardized,
            ["mean"] = Numbers(Scaling.Mean),
            ["scale"] = Numbers(Scaling.Scale),
            ["centres"] = Rows(Centres.Select(v => (double)v).ToArray(), d),
            ["centres_original_units"] = Rows(Scaling.Invert(Centres, d), d),
        };
        var manifest = new ModelManifest
        {
            Task = TaskName,
            Metrics = metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value),
            Provenance = new Provenance { Seed = seed },
            Details = details,
        };
        AtomicFile.WriteAllBytes(Path.Combine(dir, ModelArtifact.WeightsFile), SafeTensors(d));
        AtomicFile.WriteAllText(Path.Combine(dir, ModelArtifact.ManifestFile), JsonSerializer.Serialize(manifest, ModelArtifact.JsonOptions));
    }

    /// <summary>Reads a model folder written by <see cref="Save"/>.</summary>
    public static ClusterModel Load(string dir)
    {
        var m = ModelArtifact.LoadManifest(dir, TaskName);
        var j = m.Details;
        string file = Path.Combine(dir, ModelArtifact.ManifestFile);
        try
        {
            var columns = j["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
            var centres = j["centres"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => (float)v!.GetValue<double>())).ToArray();
            var mean = j["mean"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var scale = j["scale"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            int k = j["k"]!.GetValue<int>();
            if (centres.Length != k * columns.Length || mean.Length != columns.Length || scale.Length != columns.Length)
                throw new UserError($"{file}: centres, mean and scale do not match k = {k} and {columns.Length} columns");
            return new ClusterModel(columns, centres, k, new Standardizer(mean, scale), j["standardize"]?.GetValue<bool>() ?? false);
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new UserError($"{file}: the cluster model's details are incomplete or malformed ({e.Message})", e);
        }
    }

    /// <summary>The nearest centre of each row of <paramref name="inputPath"/> (its model columns); writes <c>cluster</c> as CSV and returns the row count.</summary>
    public int Predict(string inputPath, TextWriter output)
    {
        var table = TableSource.Load(inputPath);
        foreach (var c in Columns)
            if (table.Find(c) is null)
                throw new UserError($"{inputPath}: no column '{c}', which the model needs; it expects {string.Join(", ", Columns.Select(x => $"'{x}'"))}");
        var input = ClusterInput.From(table, Columns, null, dropMissing: false);
        var labels = Assign(input.Data, input.N);
        var sb = new StringBuilder("cluster\n");
        foreach (var l in labels) sb.Append(l.ToString(CultureInfo.InvariantCulture)).Append('\n');
        output.Write(sb.ToString());
        return labels.Length;
    }

    /// <summary>The nearest centre of each of <paramref name="n"/> points in original units.</summary>
    public int[] Assign(float[] data, int n) => KMeans.Predict(Scaling.Apply(data, Columns.Length), n, Columns.Length, Centres);

    private static JsonArray Numbers(IEnumerable<double> v) => new(v.Select(x => (JsonNode)JsonValue.Create(x)).ToArray());

    private static JsonArray Rows(double[] v, int d) => new(Enumerable.Range(0, v.Length / d).Select(r => (JsonNode)Numbers(v.Skip(r * d).Take(d))).ToArray());

    private byte[] SafeTensors(int d)
    {
        var tensors = new (string Name, int[] Shape, float[] Data)[]
        {
            ("centres", [K, d], Centres),
            ("mean", [d], Scaling.Mean.Select(x => (float)x).ToArray()),
            ("scale", [d], Scaling.Scale.Select(x => (float)x).ToArray()),
        };
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, shape, data) in tensors)
        {
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + 4L * data.Length),
            };
            offset += 4L * data.Length;
        }
        var text = header.ToJsonString();
        while ((text.Length + 8) % 8 != 0) text += " ";
        var head = Encoding.UTF8.GetBytes(text);
        using var ms = new MemoryStream();
        ms.Write(BitConverter.GetBytes((ulong)head.Length));
        ms.Write(head);
        foreach (var (_, _, data) in tensors) ms.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        return ms.ToArray();
    }
}
