using System.Globalization;
using System.Text;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// <c>metrics.csv</c> (step, train_loss, valid_loss, valid_bits_per_char, lr, seconds), rewritten
/// atomically from the history at each evaluation so a resumed run has no duplicate rows, and
/// TensorBoard scalars in <c>tensorboard/</c>.
/// </summary>
public sealed class TextMetricsLog(string runDirectory, bool tensorBoard) : IDisposable
{
    private SummaryWriter? _writer = tensorBoard
        ? torch.utils.tensorboard.SummaryWriter(Path.Combine(runDirectory, "tensorboard"), null, false)
        : null;

    /// <summary>The CSV file.</summary>
    public string CsvPath => Path.Combine(runDirectory, "metrics.csv");

    /// <summary>Rewrites the CSV from <paramref name="history"/>.</summary>
    public void Write(IReadOnlyList<TextEvalRecord> history)
    {
        var sb = new StringBuilder("step,train_loss,valid_loss,valid_bits_per_char,lr,seconds\n");
        foreach (var r in history)
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{r.Step},{F(r.TrainLoss)},{F(r.ValidLoss)},{F(r.ValidBitsPerChar)},{F(r.LearningRate)},{r.Seconds:F3}\n"));
        AtomicFile.WriteAllText(CsvPath, sb.ToString());
    }

    /// <summary>Logs a new evaluation <paramref name="record"/> (already in <paramref name="history"/>).</summary>
    public void Add(IReadOnlyList<TextEvalRecord> history, TextEvalRecord record)
    {
        Write(history);
        if (_writer is null) return;
        int step = (int)record.Step;
        if (double.IsFinite(record.TrainLoss)) _writer.add_scalar("loss/train", (float)record.TrainLoss, step);
        _writer.add_scalar("loss/valid", (float)record.ValidLoss, step);
        _writer.add_scalar("valid/bits_per_char", (float)record.ValidBitsPerChar, step);
        _writer.add_scalar("lr", (float)record.LearningRate, step);
    }

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString("G6", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose() => _writer = null;
}
