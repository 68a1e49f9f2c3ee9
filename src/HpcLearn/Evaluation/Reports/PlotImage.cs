namespace HpcLearn.Evaluation.Reports;

/// <summary>One rendered plot: written to <c>plots/FileName</c> and embedded in the report.</summary>
/// <param name="FileName">File name under plots/, e.g. "loss.png".</param>
/// <param name="Title">Caption and alt text.</param>
/// <param name="Png">The PNG bytes.</param>
/// <param name="Width">Display width in CSS pixels (the PNG has <see cref="PlotStyle.Density"/> times as many).</param>
/// <param name="Height">Display height in CSS pixels.</param>
internal sealed record PlotImage(string FileName, string Title, byte[] Png, int Width, int Height);
