using System.Text.RegularExpressions;
using Xunit;

namespace HpcLearn.Tests.Runs.Reports;

/// <summary>What the tests read out of a report page.</summary>
internal static partial class ReportHtml
{
    /// <summary>Every src and href attribute value.</summary>
    public static List<string> Links(string html) => LinkRegex().Matches(html).Select(m => m.Groups[2].Value).ToList();

    /// <summary>The decoded PNGs of every embedded image, in page order.</summary>
    public static List<byte[]> Images(string html) => ImageRegex().Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();

    /// <summary>The table row of <paramref name="metric"/> in the first table that has one.</summary>
    public static string MetricRow(string html, string metric)
    {
        var m = Regex.Match(html, $"<tr data-metric=\"{Regex.Escape(metric)}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no table row for metric '{metric}'");
        return m.Groups[1].Value;
    }

    /// <summary>Asserts the bytes are a PNG and returns (width, height) from its IHDR chunk.</summary>
    public static (int Width, int Height) AssertPng(byte[] png)
    {
        Assert.True(png.Length > 33, "too short for a PNG");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        int height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        Assert.True(width > 0 && height > 0, $"PNG is {width}x{height}");
        return (width, height);
    }

    [GeneratedRegex("\\b(src|href)\\s*=\\s*[\"']([^\"']*)[\"']", RegexOptions.IgnoreCase)]
    private static partial Regex LinkRegex();

    [GeneratedRegex("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex ImageRegex();
}
