using System.Globalization;
using HpcLearn.Data.Audio;
using HpcLearn.Evaluation;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Runs;
using HpcLearn.Training;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Audio;

/// <summary>
/// A trained sound classifier loaded from its model folder: predicts WAV files (resampled,
/// cropped or padded and turned into spectrograms as in training; unreadable files named and
/// skipped) and evaluates WAV class folders.
/// </summary>
public sealed class AudioPredictor : IDisposable
{
    private readonly nn.Module<Tensor[], Tensor> _model;

    private AudioPredictor(nn.Module<Tensor[], Tensor> model, AudioArtifact artifact)
    {
        _model = model;
        Artifact = artifact;
    }

    /// <summary>What the model folder says about the inputs and classes.</summary>
    public AudioArtifact Artifact { get; }

    /// <summary>Loads the model in <paramref name="modelDir"/> (an audio model, else a clear error).</summary>
    public static AudioPredictor Load(string modelDir)
    {
        var manifest = ModelArtifact.LoadManifest(modelDir, AudioTask.Name);
        var artifact = AudioArtifact.FromJson(manifest.Details, modelDir);
        var a = artifact.Audio;
        var model = VisionModels.Create(artifact.Model, 1, a.NMels, a.Frames, artifact.Classes.Length);
        ModelArtifact.LoadWeights(modelDir, model);
        model.eval();
        return new AudioPredictor(model, artifact);
    }

    /// <summary>Probabilities (at the calibrated temperature) for clips already at the model's rate and length.</summary>
    public double[][] Probabilities(IReadOnlyList<float[]> clips)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = Artifact.Stats.Apply(AudioFeatures.Compute(clips, Artifact.Audio));   // (N, 1, M, T)
        var rows = new List<double[]>();
        for (long start = 0; start < x.shape[0]; start += 256)
        {
            var logits = ClassifierOutputs.Rows(_model.forward([x.narrow(0, start, Math.Min(256, x.shape[0] - start))]));
            rows.AddRange(TemperatureScaling.Apply(logits, Artifact.Temperature));
        }
        return rows.ToArray();
    }

    /// <summary>
    /// Writes <c>file,label,confidence,p_&lt;class&gt;...</c> for a WAV file or every .wav in a folder;
    /// unreadable files are named on <paramref name="warnings"/> and skipped.
    /// </summary>
    /// <returns>The number of recordings predicted.</returns>
    public int WriteCsv(string inputPath, TextWriter output, TextWriter warnings)
    {
        string[] files;
        if (File.Exists(inputPath)) files = [inputPath];
        else if (Directory.Exists(inputPath))
            files = Directory.EnumerateFiles(inputPath, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray();
        else throw new UserError($"{inputPath}: no such WAV file or folder");
        if (files.Length == 0) throw new UserError($"{inputPath}: no .wav files");
        var clips = new float[]?[files.Length];
        var problems = new string?[files.Length];
        Parallel.For(0, files.Length, i =>
        {
            try { clips[i] = WavFolderSource.LoadFile(files[i], Artifact.Audio); }
            catch (CorruptWavException e) { problems[i] = "corrupt WAV: " + e.Reason; }
            catch (UserError e) { problems[i] = e.Message; }
        });
        var good = Enumerable.Range(0, files.Length).Where(i => clips[i] is not null).ToArray();
        foreach (int i in Enumerable.Range(0, files.Length).Where(i => clips[i] is null))
            warnings.WriteLine($"warning: skipped {files[i]}: {problems[i]}");
        if (good.Length == 0) throw new UserError($"{inputPath}: none of the {files.Length} WAV file(s) could be read");
        var p = Probabilities(good.Select(i => clips[i]!).ToArray());
        output.WriteLine("file,label,confidence," + string.Join(",", Artifact.Classes.Select(c => "p_" + c)));
        for (int k = 0; k < good.Length; k++)
        {
            int best = Array.IndexOf(p[k], p[k].Max());
            output.WriteLine(string.Join(",", new[] { files[good[k]], Artifact.Classes[best], F(p[k][best]) }.Concat(p[k].Select(F))));
        }
        if (good.Length < files.Length) warnings.WriteLine($"predicted {good.Length} of {files.Length} files; {files.Length - good.Length} skipped");
        return good.Length;
    }

    /// <summary>Metrics and the majority-class baseline on a folder of WAV class folders.</summary>
    public (IReadOnlyDictionary<string, double> Metrics, BaselineResult Baseline) Evaluate(string dataPath, TextWriter log)
    {
        var set = WavFolderSource.Load(dataPath, Artifact.Audio);
        foreach (var s in set.Summary.Skipped) log.WriteLine($"warning: skipped {s.Path}: {s.Reason}");
        var index = Artifact.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var truth = set.Labels.Select(l => index.TryGetValue(set.ClassNames[l], out int k) ? k
            : throw new UserError($"{dataPath}: class '{set.ClassNames[l]}' is not one the model knows ({string.Join(", ", Artifact.Classes)})")).ToArray();
        var metrics = ClassificationMetrics.Compute(truth, Probabilities(set.Clips));
        var prior = Artifact.ClassCounts.SelectMany((n, c) => Enumerable.Repeat(c, n)).ToArray();
        log.WriteLine($"data: {dataPath}: {set.Count} clips");
        return (metrics, Evaluation.Baseline.MajorityClass(prior, truth, Artifact.Classes.Length, Artifact.Classes));
    }

    private static string F(double v) => v.ToString("F6", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
