using System.Globalization;
using HpcLearn.Data.Images;
using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Vision;

/// <summary>
/// A trained image classifier loaded from its model folder: predicts image files (resized and
/// converted to the model's channels as in training; unreadable files named and skipped) and
/// evaluates labelled image data.
/// </summary>
public sealed class VisionPredictor : IDisposable
{
    private readonly nn.Module<Tensor[], Tensor> _model;
    private readonly ImageTransform _transform;

    private VisionPredictor(nn.Module<Tensor[], Tensor> model, VisionArtifact artifact, string dir)
    {
        _model = model;
        Artifact = artifact;
        Directory = dir;
        _transform = new ImageTransform(artifact.Mean, artifact.Std, flip: false, cropPadding: 0, seed: 0);
    }

    /// <summary>What the model folder says about the inputs and classes.</summary>
    public VisionArtifact Artifact { get; }

    /// <summary>The model folder.</summary>
    public string Directory { get; }

    /// <summary>Loads the model in <paramref name="modelDir"/> (a vision model, else a clear error).</summary>
    public static VisionPredictor Load(string modelDir)
    {
        var manifest = ModelArtifact.LoadManifest(modelDir, VisionTask.Name);
        var artifact = VisionArtifact.FromJson(manifest.Details, modelDir);
        var model = VisionModels.Create(artifact.Model, artifact.Channels, artifact.Height, artifact.Width, artifact.Classes.Length);
        ModelArtifact.LoadWeights(modelDir, model);
        model.eval();
        return new VisionPredictor(model, artifact, modelDir);
    }

    /// <summary>Probabilities (at the model's calibrated temperature) for 8-bit images (N, C, H, W).</summary>
    public double[][] Probabilities(Tensor pixels)
    {
        var rows = new List<double[]>();
        using var noGrad = no_grad();
        for (long start = 0; start < pixels.shape[0]; start += 256)
        {
            using var scope = NewDisposeScope();
            var x = _transform.Normalise(pixels.narrow(0, start, Math.Min(256, pixels.shape[0] - start)));
            var logits = ClassifierOutputs.Rows(_model.forward([x]));
            rows.AddRange(TemperatureScaling.Apply(logits, Artifact.Temperature));
        }
        return rows.ToArray();
    }

    /// <summary>
    /// Writes <c>file,label,confidence,p_&lt;class&gt;...</c> for an image file or every image in a folder;
    /// unreadable files are named on <paramref name="warnings"/> and skipped.
    /// </summary>
    /// <returns>The number of images predicted.</returns>
    public int WriteCsv(string inputPath, TextWriter output, TextWriter warnings)
    {
        var files = InputFiles(inputPath);
        var decoded = new DecodedImage?[files.Length];
        var problems = new string?[files.Length];
        Parallel.For(0, files.Length, i => decoded[i] = ImageFile.TryDecode(files[i], Artifact.Height, Artifact.Width, out problems[i]));
        // One file asked for by name: its problem is the error itself, on one line.
        if (files.Length == 1 && decoded[0] is null) throw new UserError($"{files[0]}: {problems[0]}");
        var good = Enumerable.Range(0, files.Length).Where(i => decoded[i] is not null).ToArray();
        foreach (int i in Enumerable.Range(0, files.Length).Where(i => decoded[i] is null))
            warnings.WriteLine($"warning: skipped {files[i]}: {problems[i]}");
        if (good.Length == 0) throw new UserError($"{inputPath}: none of the {files.Length} image file(s) could be read");
        var set = new ImageSet(good.SelectMany(i => decoded[i]!.Planes(Artifact.Channels)).ToArray(), new int[good.Length],
            Artifact.Classes, Artifact.Channels, Artifact.Height, Artifact.Width);
        using var pixels = set.PixelTensor();
        var p = Probabilities(pixels);
        output.WriteLine("file,label,confidence," + string.Join(",", Artifact.Classes.Select(c => Csv("p_" + c))));
        for (int k = 0; k < good.Length; k++)
        {
            int best = Array.IndexOf(p[k], p[k].Max());
            output.WriteLine(string.Join(",", new[] { Csv(files[good[k]]), Csv(Artifact.Classes[best]), F(p[k][best]) }.Concat(p[k].Select(F))));
        }
        if (good.Length < files.Length) warnings.WriteLine($"predicted {good.Length} of {files.Length} files; {files.Length - good.Length} skipped");
        return good.Length;
    }

    /// <summary>Metrics and the majority-class baseline on labelled data: class folders, a CSV of (path, label) or an IDX folder.</summary>
    public (IReadOnlyDictionary<string, double> Metrics, BaselineResult Baseline) Evaluate(string dataPath, TextWriter log)
    {
        var load = new ImageLoadOptions { Height = Artifact.Height, Width = Artifact.Width, Channels = Artifact.Channels };
        ImageSet set;
        if (File.Exists(dataPath)) set = ImageCsvSource.Load(dataPath, load);
        else if (System.IO.Directory.Exists(dataPath) && System.IO.Directory.GetFiles(dataPath, "*-images-idx*").Length > 0)
        {
            var (train, test) = ImageSources.IdxFiles(dataPath);
            var files = test ?? train;
            set = IdxSource.Load(files.Images, files.Labels, Artifact.Classes);
            if (set.Height != Artifact.Height || set.Width != Artifact.Width)
                throw new UserError($"{files.Images}: images are {set.Height} x {set.Width}, the model expects {Artifact.Height} x {Artifact.Width}");
        }
        else set = ImageFolderSource.Load(dataPath, load);
        foreach (var s in set.Skipped) log.WriteLine($"warning: skipped {s.Path}: {s.Reason}");
        // The data's class names mapped onto the model's outputs.
        var index = Artifact.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var truth = set.Labels.Select(l => index.TryGetValue(set.Classes[l], out int k) ? k
            : throw new UserError($"{dataPath}: class '{set.Classes[l]}' is not one the model knows ({string.Join(", ", Artifact.Classes)})")).ToArray();
        using var pixels = set.PixelTensor();
        var p = Probabilities(pixels);
        var metrics = ClassificationMetrics.Compute(truth, p);
        var prior = Artifact.ClassCounts.SelectMany((n, c) => Enumerable.Repeat(c, n)).ToArray();
        var baseline = Evaluation.Baseline.MajorityClass(prior, truth, Artifact.Classes.Length, Artifact.Classes);
        log.WriteLine($"data: {dataPath}: {set.Count} images");
        return (metrics, baseline);
    }

    private static string[] InputFiles(string path)
    {
        if (File.Exists(path)) return [path];
        if (!System.IO.Directory.Exists(path)) throw new UserError($"{path}: no such image file or folder");
        var files = System.IO.Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(ImageFile.IsImage).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new UserError($"{path}: no image files ({string.Join(", ", ImageFile.Extensions)})");
        return files;
    }

    private static string F(double v) => v.ToString("F6", CultureInfo.InvariantCulture);

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <inheritdoc />
    public void Dispose()
    {
        _model.Dispose();
        _transform.Dispose();
    }
}
