using System.Globalization;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;

namespace HpcLearn.Runs.Metrics;

/// <summary>
/// The one metrics log of a run folder: <c>metrics.csv</c> (<c>step,epoch,</c>named columns) and
/// TensorBoard scalars in <c>tensorboard/</c>. The CSV is rewritten atomically from the whole
/// history at each call, so a resumed run holds exactly the rows its checkpoint knows, with no
/// duplicates; the TensorBoard events are appended for the new rows only. Rank 0 alone writes.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    /// <summary>File name of the CSV in a run folder.</summary>
    public const string FileName = "metrics.csv";

    /// <summary>Folder of the TensorBoard event files in a run folder.</summary>
    public const string TensorBoardFolder = "tensorboard";

    /// <summary>The first column: what the task counts (steps, iterations, k).</summary>
    public const string StepColumn = "step";

    /// <summary>The second column: the epoch, empty where the task has none.</summary>
    public const string EpochColumn = "epoch";

    private readonly string _runDirectory;
    private readonly Func<string, string?> _tag;
    private SummaryWriter? _writer;

    /// <summary>A log writing into <paramref name="runDirectory"/>.</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="tensorBoard">Whether to write TensorBoard event files as well.</param>
    /// <param name="tag">
    /// The TensorBoard tag of a column, or null to leave it out; default <see cref="DefaultTag"/>.
    /// </param>
    public MetricsLog(string runDirectory, bool tensorBoard, Func<string, string?>? tag = null)
    {
        _runDirectory = runDirectory;
        _tag = tag ?? DefaultTag;
        if (tensorBoard) _writer = torch.utils.tensorboard.SummaryWriter(Path.Combine(runDirectory, TensorBoardFolder), null, false);
    }

    /// <summary>Path of the CSV file.</summary>
    public string CsvPath => Path.Combine(_runDirectory, FileName);

    /// <summary>
    /// Steps between points of <see cref="StepScalar"/>. Each event costs about a millisecond
    /// (TorchSharp writes and flushes it at once), so logging every step doubled a small
    /// model's epoch time (bench/run learner-overhead). Default 100.
    /// </summary>
    public int StepLogInterval { get; init; } = 100;

    /// <summary>
    /// The tag of a column by convention: <c>train_loss</c> → <c>loss/train</c>,
    /// <c>valid_loss</c> → <c>loss/valid</c>, <c>valid_X</c> → <c>valid/X</c>, <c>seconds</c> left
    /// out (wall time is no training signal), any other column under its own name.
    /// </summary>
    public static string? DefaultTag(string column) => column switch
    {
        "train_loss" => "loss/train",
        "valid_loss" => "loss/valid",
        "seconds" => null,
        _ when column.StartsWith("valid_", StringComparison.Ordinal) => "valid/" + column["valid_".Length..],
        _ => column,
    };

    /// <summary>
    /// Rewrites the CSV from <paramref name="history"/> (TensorBoard untouched): atomically, but not
    /// flushed to disk (no fsync each epoch): the history it is made from is in the checkpoint, and a
    /// resumed run writes the CSV again from it.
    /// </summary>
    public void Write(IReadOnlyList<MetricsRow> history) => AtomicFile.WriteAllText(CsvPath, Csv(history), durable: false);

    /// <summary>Logs a new <paramref name="row"/>, already the last of <paramref name="history"/>: the CSV and its TensorBoard scalars.</summary>
    public void Add(IReadOnlyList<MetricsRow> history, MetricsRow row)
    {
        Write(history);
        Scalars(row);
    }

    /// <summary>The TensorBoard scalars of <paramref name="row"/> at its step (its epoch where it has one); NaN values are left out.</summary>
    public void Scalars(MetricsRow row)
    {
        if (_writer is null) return;
        int at = (int)(row.Epoch ?? row.Step);
        foreach (var (name, value) in row.Values)
            if (double.IsFinite(value) && _tag(name) is { } tag) _writer.add_scalar(tag, (float)value, at);
    }

    /// <summary>A per-step point (e.g. a batch's loss), kept only every <see cref="StepLogInterval"/> steps.</summary>
    public void StepScalar(string tag, double value, long step)
    {
        if (_writer is not null && step % StepLogInterval == 0 && double.IsFinite(value)) _writer.add_scalar(tag, (float)value, (int)step);
    }

    /// <summary>The CSV text of <paramref name="history"/>: columns in first-seen order, empty cells for NaN and absent values.</summary>
    public static string Csv(IReadOnlyList<MetricsRow> history)
    {
        var names = history.SelectMany(r => r.Values.Select(v => v.Key)).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendJoin(',', new[] { StepColumn, EpochColumn }.Concat(names)).Append('\n');
        foreach (var r in history)
        {
            var byName = new Dictionary<string, double>();
            foreach (var (name, value) in r.Values) byName[name] = value;
            sb.Append(r.Step.ToString(CultureInfo.InvariantCulture)).Append(',');
            if (r.Epoch is int e) sb.Append(e.ToString(CultureInfo.InvariantCulture));
            foreach (var name in names) sb.Append(',').Append(byName.TryGetValue(name, out double v) ? Cell(name, v) : "");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A cell: empty for NaN, whole numbers in full (positions, generations), seconds to the millisecond, else 6 significant digits.</summary>
    private static string Cell(string name, double v) =>
        double.IsNaN(v) ? ""
        : name == "seconds" ? v.ToString("F3", CultureInfo.InvariantCulture)
        : v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("F0", CultureInfo.InvariantCulture)
        : v.ToString("G6", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose() => _writer = null; // TorchSharp's SummaryWriter writes and flushes each event at once; it holds nothing open
}
