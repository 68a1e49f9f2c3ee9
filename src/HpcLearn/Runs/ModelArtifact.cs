using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;

namespace HpcLearn.Runs;

/// <summary>
/// A model folder: <c>model.safetensors</c> (weights; no code runs on load, PyTorch reads it)
/// and <c>model.json</c> (<see cref="ModelManifest"/>). Written to a temporary folder and
/// renamed into place, so a failed run never leaves half a model or replaces a good one.
/// </summary>
public static class ModelArtifact
{
    /// <summary>File name of the weights.</summary>
    public const string WeightsFile = "model.safetensors";
    /// <summary>File name of the manifest.</summary>
    public const string ManifestFile = "model.json";

    private static readonly JsonSerializerOptions Indented = new(RunJson.Options) { WriteIndented = true };

    /// <summary>The JSON settings of HpcLearn's files (indented, NaN allowed, readable escaping, snake_case enums).</summary>
    public static JsonSerializerOptions JsonOptions => Indented;

    /// <summary>
    /// Writes the model folder at <paramref name="directory"/>, replacing it only once complete. A
    /// failure leaves the previous folder (if any) in place and no temporary folder behind; a refusal
    /// by the file system (disk full, read-only) is a <see cref="UserError"/> naming the path.
    /// </summary>
    public static void Save(string directory, torch.nn.Module model, ModelManifest manifest)
        => SaveFolder(directory, manifest, weights => model.save_safetensors(weights));

    /// <summary>
    /// As <see cref="Save(string, torch.nn.Module, ModelManifest)"/> for weights that are plain float32
    /// arrays rather than a module's parameters (a clustering's centres), written by <see cref="SafeTensorsWriter"/>.
    /// </summary>
    public static void SaveArrays(string directory, IReadOnlyList<NamedTensor> tensors, ModelManifest manifest)
        => SaveFolder(directory, manifest, weights => File.WriteAllBytes(weights, SafeTensorsWriter.Bytes(tensors)));

    private static void SaveFolder(string directory, ModelManifest manifest, Action<string> writeWeights)
    {
        string full = Path.GetFullPath(directory);
        string tmp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            WriteFailure.CreateDirectory(tmp);
            string weights = Path.Combine(tmp, WeightsFile), json = Path.Combine(tmp, ManifestFile);
            WriteFailure.Guard(Path.Combine(directory, WeightsFile), () => writeWeights(weights));
            WriteFailure.Guard(Path.Combine(directory, ManifestFile), () => File.WriteAllText(json, JsonSerializer.Serialize(manifest, Indented)));
            if (!Directory.Exists(full))
            {
                WriteFailure.Guard(directory, () => Directory.Move(tmp, full));
                return;
            }
            string old = full + ".old-" + Guid.NewGuid().ToString("N")[..8];
            WriteFailure.Guard(directory, () => Directory.Move(full, old));
            try { WriteFailure.Guard(directory, () => Directory.Move(tmp, full)); }
            catch
            {
                Directory.Move(old, full); // the previous model back in place
                throw;
            }
            TryDelete(old);
        }
        catch
        {
            TryDelete(tmp); // leave no half-written folder beside the model
            throw;
        }
    }

    // Best effort: the save's own outcome is what matters; a leftover is swept by the next run.
    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Reads <c>model.json</c> of a model folder, checking it is one and, when
    /// <paramref name="expectedTask"/> is given, that it was made by that task.
    /// </summary>
    public static ModelManifest LoadManifest(string directory, string? expectedTask = null)
    {
        if (File.Exists(directory) && Path.GetFileName(directory) == ManifestFile) directory = Path.GetDirectoryName(Path.GetFullPath(directory))!;
        if (!Directory.Exists(directory))
            throw new UserError($"model folder '{directory}' not found; pass the model/ folder of a run, e.g. runs/quickstart/model");
        string path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path))
            throw new UserError($"'{directory}' is not a model folder: it has no {ManifestFile}; pass the model/ folder of a run, e.g. runs/quickstart/model");
        ModelManifest? m;
        try { m = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), RunJson.Options); }
        catch (JsonException e) { throw new UserError($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split('.')[0]})", e); }
        if (m is null || m.Format != ModelManifest.FormatName)
            throw new UserError($"{path}: not an HpcLearn model (format is '{m?.Format}', expected '{ModelManifest.FormatName}')");
        if (m.FormatVersion > ModelManifest.CurrentFormatVersion)
            throw new UserError($"{path}: format_version {m.FormatVersion} is newer than this hpclearn reads (up to {ModelManifest.CurrentFormatVersion}); update hpclearn to load this model");
        if (m.FormatVersion < 1)
            throw new UserError($"{path}: format_version {m.FormatVersion} is not a version hpclearn ever wrote (they start at 1); the file is damaged");
        if (expectedTask is not null && m.Task != expectedTask)
            throw new UserError($"{path}: this model was made by the '{m.Task}' task, not '{expectedTask}'; use a model trained by '{expectedTask}'");
        if (!File.Exists(Path.Combine(directory, WeightsFile)))
            throw new UserError($"{directory}: {WeightsFile} is missing; the model folder is incomplete");
        return m;
    }

    /// <summary>
    /// Loads the weights of a model folder into <paramref name="model"/> (same architecture),
    /// through <see cref="SafeTensorsFile"/>: a damaged file or one that does not fit the model is a
    /// <see cref="UserError"/> naming the file and the tensor, and nothing is read before the
    /// whole header has been checked.
    /// </summary>
    public static void LoadWeights(string directory, torch.nn.Module model) =>
        SafeTensorsFile.Open(Path.Combine(directory, WeightsFile)).LoadInto(model);
}
