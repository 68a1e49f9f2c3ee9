using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Data;
using HpcLearn.Runs;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// A clustering model folder: <c>model.json</c> (task <c>cluster</c>; details: algorithm, columns,
/// centres in the space the algorithm ran in, standardisation mean and scale, centres in original
/// units; for a Gaussian mixture also covariance type, weights and covariances; for DBSCAN eps,
/// the core points and their clusters) and <c>model.safetensors</c> (centres, mean and scale, and
/// the mixture's or DBSCAN's arrays, as F32 tensors readable from PyTorch). After the same
/// standardisation, new points go to the nearest centre (k-means), the most likely component
/// (Gaussian mixture), or the cluster of the nearest core point within eps, else noise −1 (DBSCAN).
/// </summary>
public sealed record ClusterModel(string[] Columns, float[] Centres, int K, Standardizer Scaling, bool Standardized)
{
    /// <summary>The manifest's task name.</summary>
    public const string TaskName = "cluster";

    /// <summary>The algorithm that made the model. Default k-means.</summary>
    public ClusterAlgorithm Algorithm { get; init; } = ClusterAlgorithm.KMeans;

    /// <summary>The fitted mixture, for <see cref="ClusterAlgorithm.GaussianMixture"/>.</summary>
    public GaussianMixtureModel? Mixture { get; init; }

    /// <summary>DBSCAN's core points (c × d, standardised space), their clusters and eps, for <see cref="ClusterAlgorithm.Dbscan"/>.</summary>
    public (float[] Points, int[] Labels, double Eps)? Core { get; init; }

    private static readonly string[] Names = ["k-means", "gaussian-mixture", "dbscan"];

    /// <summary>The model's details for model.json: algorithm, columns, centres, standardisation (and the mixture's or DBSCAN's arrays).</summary>
    public JsonObject Details()
    {
        int d = Columns.Length;
        var details = new JsonObject
        {
            ["algorithm"] = Names[(int)Algorithm],
            ["k"] = K,
            ["columns"] = new JsonArray(Columns.Select(c => (JsonNode)c!).ToArray()),
            ["standardize"] = Standardized,
            ["mean"] = Numbers(Scaling.Mean),
            ["scale"] = Numbers(Scaling.Scale),
            ["centres"] = Rows(Centres.Select(v => (double)v).ToArray(), d),
            ["centres_original_units"] = Rows(Scaling.Invert(Centres, d), d),
        };
        if (Mixture is { } g)
        {
            details["covariance"] = g.Type.ToString().ToLowerInvariant();
            details["weights"] = Numbers(g.Weights);
            details["means"] = Rows(g.Means, d);
            details["covariances"] = Numbers(g.Covariances);
        }
        if (Core is { } core)
        {
            details["eps"] = core.Eps;
            details["core_labels"] = new JsonArray(core.Labels.Select(l => (JsonNode)l).ToArray());
            details["core_points"] = Rows(core.Points.Select(v => (double)v).ToArray(), d);
        }
        return details;
    }

    /// <summary>
    /// Writes the model folder <paramref name="dir"/> through <see cref="ModelArtifact"/> (replaced only
    /// once complete): <paramref name="manifest"/> (task, metrics, baseline, provenance) with this model's
    /// <see cref="Details"/>, and the arrays as F32 tensors.
    /// </summary>
    public void Save(string dir, ModelManifest manifest)
    {
        var finite = manifest.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value);
        ModelArtifact.SaveArrays(dir, Tensors(), manifest with { Task = TaskName, Metrics = finite, Details = Details() });
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
            var check = new ArchitectureCheck(file);
            check.Range("details.k", k, 1, int.MaxValue);
            check.Range("details.columns (count)", columns.Length, 1, ArchitectureCheck.MaxWidth);
            if (centres.Length != (long)k * columns.Length || mean.Length != columns.Length || scale.Length != columns.Length)
                throw new UserError($"{file}: centres, mean and scale do not match k = {k} and {columns.Length} columns");
            // A zero or NaN scale would turn every prediction into NaN: refused with the key, like the other tasks' stds.
            check.Finite("details.mean", mean);
            check.Positive("details.scale", scale);
            check.Finite("details.centres", centres.Select(v => (double)v).ToArray());
            int d = columns.Length;
            var algorithm = (ClusterAlgorithm)Math.Max(0, Array.IndexOf(Names, j["algorithm"]?.GetValue<string>() ?? "k-means"));
            GaussianMixtureModel? mixture = null;
            (float[], int[], double)? core = null;
            if (algorithm == ClusterAlgorithm.GaussianMixture)
            {
                var type = Enum.Parse<CovarianceType>(j["covariance"]!.GetValue<string>(), ignoreCase: true);
                try { mixture = new GaussianMixtureModel(type, k, d, Doubles(j["weights"]!), j["means"]!.AsArray().SelectMany(r => Doubles(r!)).ToArray(), Doubles(j["covariances"]!)); }
                catch (UserError e) { throw new UserError($"{file}: {e.Message}; the file is damaged or was not written by hpclearn", e); }
            }
            if (algorithm == ClusterAlgorithm.Dbscan)
            {
                var points = j["core_points"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => (float)v!.GetValue<double>())).ToArray();
                var coreLabels = j["core_labels"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
                if (points.Length != (long)coreLabels.Length * d) throw new UserError($"{file}: core_points and core_labels do not match {d} columns");
                core = (points, coreLabels, check.Positive("details.eps", j["eps"]!.GetValue<double>()));
            }
            return new ClusterModel(columns, centres, k, new Standardizer(mean, scale), j["standardize"]?.GetValue<bool>() ?? false)
            {
                Algorithm = algorithm, Mixture = mixture, Core = core,
            };
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

    /// <summary>The cluster of each of <paramref name="n"/> points in original units: nearest centre, most likely component, or nearest core point's cluster within eps (else −1).</summary>
    public int[] Assign(float[] data, int n)
    {
        var x = Scaling.Apply(data, Columns.Length);
        if (Mixture is not null) return Mixture.Predict(x, n);
        if (Core is { } c) return Dbscan.Predict(x, n, Columns.Length, c.Points, c.Labels, c.Eps);
        return KMeans.Predict(x, n, Columns.Length, Centres);
    }

    private static double[] Doubles(JsonNode a) => a.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    private static JsonArray Numbers(IEnumerable<double> v) => new(v.Select(x => (JsonNode)JsonValue.Create(x)).ToArray());

    private static JsonArray Rows(double[] v, int d) => new(Enumerable.Range(0, v.Length / d).Select(r => (JsonNode)Numbers(v.Skip(r * d).Take(d))).ToArray());

    private List<NamedTensor> Tensors()
    {
        int d = Columns.Length;
        var tensors = new List<NamedTensor>
        {
            new("centres", [K, d], Centres),
            new("mean", [d], Scaling.Mean.Select(x => (float)x).ToArray()),
            new("scale", [d], Scaling.Scale.Select(x => (float)x).ToArray()),
        };
        if (Mixture is { } g)
        {
            tensors.Add(new("weights", [K], g.Weights.Select(v => (float)v).ToArray()));
            tensors.Add(new("covariances", g.Type switch { CovarianceType.Full => [K, d, d], CovarianceType.Diagonal => [K, d], _ => [K] }, g.Covariances.Select(v => (float)v).ToArray()));
        }
        if (Core is { } core)
        {
            tensors.Add(new("core_points", [core.Labels.Length, d], core.Points));
            tensors.Add(new("core_labels", [core.Labels.Length], core.Labels.Select(l => (float)l).ToArray()));
        }
        return tensors;
    }
}
