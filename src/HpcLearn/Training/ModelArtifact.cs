using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;

namespace HpcLearn.Training;

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

    private static readonly JsonSerializerOptions Indented = new(CheckpointStore.Json) { WriteIndented = true };

    /// <summary>The JSON settings of HpcLearn's files (indented, NaN allowed, readable escaping, snake_case enums).</summary>
    public static JsonSerializerOptions JsonOptions => Indented;

    /// <summary>Writes the model folder at <paramref name="directory"/>, replacing it only once complete.</summary>
    public static void Save(string directory, torch.nn.Module model, ModelManifest manifest)
    {
        string full = Path.GetFullPath(directory);
        string tmp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(tmp);
        try
        {
            model.save_safetensors(Path.Combine(tmp, WeightsFile));
            File.WriteAllText(Path.Combine(tmp, ManifestFile), JsonSerializer.Serialize(manifest, Indented));
        }
        catch
        {
            Directory.Delete(tmp, recursive: true); // leave no half-written folder beside the model
            throw;
        }
        if (Directory.Exists(full))
        {
            string old = full + ".old-" + Guid.NewGuid().ToString("N")[..8];
            Directory.Move(full, old);
            Directory.Move(tmp, full);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(tmp, full);
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
        try { m = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), CheckpointStore.Json); }
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
