using System.Globalization;
using System.Text;

namespace HpcLearn.Data.Audio;

/// <summary>What an audio source found: clips per class, files skipped (named, with the reason), and how clips were adjusted.</summary>
/// <param name="Source">The folder, or a description of a generated set.</param>
/// <param name="ClassNames">Class names, in label order.</param>
/// <param name="CountsPerClass">Clips kept per class, in label order.</param>
/// <param name="Skipped">Files that could not be read, in file order.</param>
/// <param name="Resampled">Clips resampled from another rate.</param>
/// <param name="Cropped">Clips longer than the clip length (centre kept).</param>
/// <param name="Padded">Clips shorter than the clip length (zero-padded).</param>
public sealed record AudioDataSummary(
    string Source, IReadOnlyList<string> ClassNames, IReadOnlyList<int> CountsPerClass, IReadOnlyList<SkippedFile> Skipped,
    int Resampled, int Cropped, int Padded)
{
    /// <summary>Clips kept.</summary>
    public int Clips => CountsPerClass.Sum();

    /// <summary>Files looked at: clips kept plus files skipped.</summary>
    public int FilesSeen => Clips + Skipped.Count;

    /// <summary>A few lines for a terminal or a log: counts per class, then adjustments and skipped files.</summary>
    public string Describe()
    {
        var s = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        s.AppendLine(ic, $"{Source}: {Clips} clips in {ClassNames.Count} classes");
        int width = ClassNames.Max(n => n.Length);
        for (int c = 0; c < ClassNames.Count; c++)
            s.AppendLine(ic, $"  {ClassNames[c].PadRight(width)}  {CountsPerClass[c],6}");
        s.AppendLine(ic, $"resampled {Resampled}, cropped {Cropped}, padded {Padded}; skipped {Skipped.Count} of {FilesSeen} files");
        foreach (var f in Skipped) s.AppendLine(ic, $"  skipped {f.Path}: {f.Reason}");
        return s.ToString().TrimEnd();
    }
}
