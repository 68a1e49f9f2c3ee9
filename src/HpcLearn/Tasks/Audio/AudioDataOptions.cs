namespace HpcLearn.Tasks.Audio;

/// <summary>Where the recordings come from: config section <c>data</c>.</summary>
public sealed record AudioDataOptions
{
    /// <summary><c>birdcalls</c> (built-in synthetic bird calls) or <c>folder</c> (a sub-folder of WAV files per class). Default birdcalls.</summary>
    public string Source { get; init; } = "birdcalls";

    /// <summary>The folder of class folders (folder).</summary>
    public string? Path { get; init; }

    /// <summary>Calls generated per class (birdcalls). Default 160.</summary>
    public int PerClass { get; init; } = 160;

    /// <summary>Signal-to-noise ratio of the generated calls, in dB (birdcalls). Default 10.</summary>
    public double SnrDb { get; init; } = 10;

    /// <summary>
    /// A separate test folder laid out as <see cref="Path"/> (a sub-folder of WAV files per class,
    /// classes the training folder has): measured once with the final weights, after training;
    /// validation clips still come from <see cref="Path"/> only, so the test clips never steer
    /// training (folder). Default none.
    /// </summary>
    public string? TestPath { get; init; }

    /// <summary>Share of the clips of <see cref="Path"/> held out for validation, stratified by class; 0 (train on every clip) needs <see cref="TestPath"/>. Default 0.2.</summary>
    public double ValidFraction { get; init; } = 0.2;

    /// <summary>Largest share of unreadable WAV files skipped before loading fails. Default 0.05.</summary>
    public double MaxBadFraction { get; init; } = 0.05;

    /// <summary>SpecAugment time and frequency masking of training batches. Default true.</summary>
    public bool SpecAugment { get; init; } = true;

    /// <summary>Checks the values; errors name the config key.</summary>
    public void Validate()
    {
        if (Source is not ("birdcalls" or "folder")) throw new UserError($"data.source: '{Source}' is not an audio source; use birdcalls or folder");
        if (Source == "folder" && string.IsNullOrWhiteSpace(Path)) throw new UserError("data.path: required for data.source folder (a folder with one sub-folder of .wav files per class)");
        if (PerClass < 2) throw new UserError($"data.per_class: {PerClass}; generate at least 2 calls per class");
        if (TestPath is not null && Source != "folder") throw new UserError($"data.test_path: needs data.source folder (the training folder beside it); {Source} has no test folder");
        if (ValidFraction is < 0 or >= 1) throw new UserError($"data.valid_fraction: {ValidFraction}; use a value in [0, 1)");
        if (ValidFraction == 0 && TestPath is null) throw new UserError("data.valid_fraction: 0 leaves no clips to measure the model on: set data.test_path to a test folder, or a fraction such as 0.2");
        if (MaxBadFraction is < 0 or > 1) throw new UserError($"data.max_bad_fraction: {MaxBadFraction}; use a value in [0, 1]");
    }
}
