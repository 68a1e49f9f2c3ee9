namespace HpcLearn.Data.Audio;

/// <summary>
/// Labelled clips ready for <see cref="AudioFeatures"/>: mono, at one sample rate, all of one length.
/// </summary>
/// <param name="Clips">The clips, each of <c>ClipSamples</c> samples.</param>
/// <param name="Labels">Class index of each clip (into <paramref name="ClassNames"/>).</param>
/// <param name="ClassNames">Class names, sorted; label i is <c>ClassNames[i]</c>.</param>
/// <param name="SampleRate">Rate of every clip, in Hz.</param>
/// <param name="Summary">What the source found.</param>
public sealed record AudioDataSet(float[][] Clips, int[] Labels, string[] ClassNames, int SampleRate, AudioDataSummary Summary)
{
    /// <summary>Number of clips.</summary>
    public int Count => Clips.Length;
}
