using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>
/// A text run: the transformer's validation loss beside the two count models (summary.json's
/// baseline is the unigram, <c>ngram4_loss</c> the 4-gram; both also drawn on the loss curves)
/// and the texts it sampled at the end (<c>samples.json</c>).
/// </summary>
internal sealed class TextSection : TaskSection
{
    /// <summary>The file of samples a text run writes.</summary>
    public const string SamplesFile = "samples.json";

    /// <inheritdoc />
    public override string Id => "text";

    /// <inheritdoc />
    public override string Title => "Language model";

    /// <inheritdoc />
    public override List<PlotImage> Plots(ReportRun run) => [];

    /// <inheritdoc />
    public override IReadOnlyList<(string Label, double Value)> LossReferences(ReportRun run) =>
    [
        ("unigram count model", run.Summary.Baseline.GetValueOrDefault("loss", double.NaN)),
        ("4-gram count model", Value(run, "ngram4_loss")),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<KeyValuePair<string, double>> Metrics(ReportRun run) =>
        run.Metrics.Where(m => m.Key is "loss" or "bits_per_char").ToList();

    /// <inheritdoc />
    public override string? Progress(ReportRun run) =>
        run.History.Step.Where(double.IsFinite).LastOrDefault() is var step and > 0 ? string.Create(CultureInfo.InvariantCulture, $"{step:0} steps") : null;

    /// <inheritdoc />
    public override void Write(StringBuilder sb, ReportRun run, IReadOnlyDictionary<string, PlotImage> plots)
    {
        sb.Append($"<section id=\"{Id}\">\n<h2>{Title}</h2>\n");
        sb.Append("<table class=\"metrics\" id=\"count-models\">\n").HeaderRow("model", "validation loss (nats/token) ↓", "bits/char ↓");
        Row(sb, "transformer (this run)", Value(run, "loss"), Value(run, "bits_per_char"));
        Row(sb, "unigram count model (the baseline)", run.Summary.Baseline.GetValueOrDefault("loss", double.NaN), run.Summary.Baseline.GetValueOrDefault("bits_per_char", double.NaN));
        Row(sb, "4-gram count model (Witten-Bell)", Value(run, "ngram4_loss"), Value(run, "ngram4_bits_per_char"));
        sb.Append("</table>\n");
        double loss = Value(run, "loss"), fourGram = Value(run, "ngram4_loss");
        if (double.IsFinite(loss) && double.IsFinite(fourGram))
            sb.Append(loss < fourGram
                ? "<p class=\"verdict good\" id=\"ngram-verdict\">The transformer beats the 4-gram count model, the classic model a small transformer must beat.</p>\n"
                : "<p class=\"verdict bad\" id=\"ngram-verdict\">The transformer does not beat the 4-gram count model yet: train longer or larger before sampling it.</p>\n");

        sb.Append("<h3>Samples</h3>\n");
        var samples = Samples(run.PathOf(SamplesFile));
        if (samples is null)
            sb.Append($"<p class=\"note\">This run folder has no readable {SamplesFile}; sample the model with: hpclearn generate {Html.E(run.PathOf("model"))} --prompt \"...\"</p>\n");
        else
        {
            sb.Append($"<p class=\"note\">{Html.E(samples.Value.Settings)}; draw one again with: hpclearn generate {Html.E(run.PathOf("model"))} --tokens {samples.Value.Tokens} --seed SEED</p>\n");
            foreach (var (seed, text) in samples.Value.Texts)
                sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"sample\"><pre>{Html.E(text)}</pre><figcaption>seed {seed}</figcaption></figure>\n");
        }
        sb.Append("</section>\n");
    }

    private static void Row(StringBuilder sb, string name, double nats, double bits) =>
        sb.Append("<tr><td>").Append(Html.E(name)).Append("</td>").Append(Html.MetricCell(nats)).Append(Html.MetricCell(bits)).Append("</tr>\n");

    private static double Value(ReportRun run, string key) => run.Metrics.Where(m => m.Key == key).Select(m => m.Value).DefaultIfEmpty(double.NaN).First();

    /// <summary>samples.json's settings line and texts, or null when it is missing or unreadable (the samples are an extra, not a reason to fail the report).</summary>
    private static (string Settings, int Tokens, List<(long Seed, string Text)> Texts)? Samples(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var texts = root.GetProperty("samples").EnumerateArray()
                .Select(s => (s.GetProperty("seed").GetInt64(), s.GetProperty("text").GetString() ?? "")).ToList();
            int tokens = root.GetProperty("tokens").GetInt32();
            string settings = string.Create(CultureInfo.InvariantCulture,
                $"{texts.Count} samples of {tokens} tokens from the start token, temperature {root.GetProperty("temperature").GetDouble()}, top {root.GetProperty("top_k").GetInt32()}");
            return (settings, tokens, texts);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
