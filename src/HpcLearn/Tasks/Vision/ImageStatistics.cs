using HpcLearn.Data.Images;

namespace HpcLearn.Tasks.Vision;

/// <summary>Per-channel mean and standard deviation of a set's pixels, in [0, 1] (training split only).</summary>
public static class ImageStatistics
{
    /// <summary>Mean and standard deviation per channel.</summary>
    public static (double[] Mean, double[] Std) Compute(ImageSet set)
    {
        int c = set.Channels, plane = set.Height * set.Width;
        var sum = new double[c];
        var sumSq = new double[c];
        for (int i = 0; i < set.Count; i++)
            for (int ch = 0; ch < c; ch++)
            {
                long offset = (long)i * set.ImageSize + (long)ch * plane;
                long s = 0, sq = 0;
                for (int k = 0; k < plane; k++)
                {
                    int v = set.Pixels[offset + k];
                    s += v;
                    sq += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += sq;
            }
        double n = (double)set.Count * plane;
        var mean = sum.Select(s => s / n / 255).ToArray();
        var std = sumSq.Select((sq, ch) => Math.Sqrt(Math.Max(sq / n / (255.0 * 255) - mean[ch] * mean[ch], 0))).Select(s => Math.Max(s, 1e-3)).ToArray();
        return (mean, std);
    }
}
