namespace HpcLearn.Data.Audio;

/// <summary>Brings clips to a fixed number of samples.</summary>
public static class ClipLength
{
    /// <summary>
    /// The centre <paramref name="length"/> samples of a longer clip, or a shorter clip in the
    /// middle of zeros (the extra zero, if odd, goes at the end). Returns the clip itself when the
    /// length already matches.
    /// </summary>
    public static float[] Fit(float[] clip, int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), "length must be positive");
        if (clip.Length == length) return clip;
        var result = new float[length];
        if (clip.Length > length) Array.Copy(clip, (clip.Length - length) / 2, result, 0, length);
        else Array.Copy(clip, 0, result, (length - clip.Length) / 2, clip.Length);
        return result;
    }
}
