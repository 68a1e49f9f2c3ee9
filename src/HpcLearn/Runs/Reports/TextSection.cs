using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>
/// A text run: the model's validation loss (the mixture with the count model when the run made one,
/// and the transformer alone with full context and over blocks) beside the count models
/// (summary.json's baseline is the unigram, <c>kn_loss</c> the Kneser–Ney n-gram, <c>ngram4_loss</c>
/// the Witten–Bell 4-gram; drawn on the loss curves too) and the texts it sampled at the end
/// (<c>samples.json</c>). Runs from before the Kneser–Ney model show the 4-gram only.
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
        .. double.IsFinite(Value(run, "kn_loss")) ? new[] { (KneserNey(run), Value(run, "kn_loss")) } : [],
    ];

    private static string KneserNey(ReportRun run) => string.Create(CultureInfo.InvariantCulture, $"Kneser-Ney {Value(run, "kn_order"):0}-gram");

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
        bool mixed = double.IsFinite(Value(run, "valid_loss_mixed"));
        double bitsPerNat = Value(run, "bits_per_char") / Value(run, "loss");   // tokens per char ÷ ln 2, the same for every row
        string what = mixed ? "the mixture" : "the transformer";
        Row(sb, mixed ? string.Create(CultureInfo.InvariantCulture, $"mixture: {Value(run, "mix_weight"):0.000} × transformer + rest × count model (this run)") : "transformer (this run)",
            Value(run, "loss"), Value(run, "bits_per_char"));
        if (double.IsFinite(Value(run, "valid_loss_full_context")))
        {
            if (mixed) Row(sb, "transformer alone, full context", Value(run, "valid_loss_full_context"), Value(run, "valid_loss_full_context") * bitsPerNat);
            Row(sb, string.Create(CultureInfo.InvariantCulture, $"transformer alone, mean over {Value(run, "valid_block_size"):0}-token blocks (nanoGPT's way)"), Value(run, "valid_loss_blocks"), Value(run, "valid_loss_blocks") * bitsPerNat);
        }
        Row(sb, "unigram count model (the baseline)", run.Summary.Baseline.GetValueOrDefault("loss", double.NaN), run.Summary.Baseline.GetValueOrDefault("bits_per_char", double.NaN));
        Row(sb, "4-gram count model (Witten-Bell)", Value(run, "ngram4_loss"), Value(run, "ngram4_bits_per_char"));
        double loss = Value(run, "loss"), reference = Value(run, "kn_loss");
        string name = KneserNey(run) + " count model";
        if (double.IsFinite(reference))
        {
            Row(sb, "Kneser-Ney 4-gram count model", Value(run, "kn4_loss"), Value(run, "kn4_loss") * bitsPerNat);
            Row(sb, name, reference, Value(run, "kn_bits_per_char"));
        }
        else (reference, name) = (Value(run, "ngram4_loss"), "4-gram count model");
        sb.Append("</table>\n");
        if (double.IsFinite(loss) && double.IsFinite(reference))
            sb.Append(loss < reference
                ? $"<p class=\"verdict good\" id=\"ngram-verdict\">{Html.E(char.ToUpperInvariant(what[0]) + what[1..])} beats the {Html.E(name)}, the classic model a small transformer must beat.</p>\n"
                : $"<p class=\"verdict bad\" id=\"ngram-verdict\">{Html.E(char.ToUpperInvariant(what[0]) + what[1..])} does not beat the {Html.E(name)} yet: train longer or larger before sampling it.</p>\n");

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
