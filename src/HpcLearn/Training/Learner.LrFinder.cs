using TorchSharp;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>The LR range test, kept apart from the training loop.</summary>
public sealed partial class Learner
{
    /// <summary>
    /// LR range test (Smith 2015): raises the rate exponentially over <paramref name="steps"/>
    /// batches, records the smoothed loss, and suggests the rate where it fell fastest.
    /// Model and optimiser are restored afterwards, so the test costs no training. Under data
    /// parallelism every rank must call it; they agree on the curve and the suggestion.
    /// </summary>
    /// <param name="startLr">The first rate tried.</param>
    /// <param name="endLr">The last rate tried.</param>
    /// <param name="steps">Batches (one rate each).</param>
    /// <param name="cancellationToken">
    /// Stops the test before its next batch; model and optimiser are restored, then
    /// <see cref="OperationCanceledException"/> is thrown (a partial curve suggests nothing reliable).
    /// </param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public LrFinderResult FindLearningRate(double startLr = 1e-7, double endLr = 10, int steps = 100, CancellationToken cancellationToken = default)
    {
        using var saved = new MemoryStream();
        SaveState(saved);
        var lrs = new List<double>();
        var losses = new List<double>();
        double avg = 0, best = double.MaxValue;
        const double beta = 0.98;
        Model.train();
        int i = 0;
        bool cancelled = false;
        for (int epoch = 0; i < steps; epoch++)
        {
            foreach (var batch in Train.Epoch(epoch))
            {
                using var scope = torch.NewDisposeScope();
                using (batch)
                {
                    if (i > 0 && CancelledOnAnyRank(cancellationToken)) { cancelled = true; i = steps; break; }
                    double lr = startLr * Math.Pow(endLr / startLr, (double)i / Math.Max(1, steps - 1));
                    SetLearningRate(lr);
                    Optimizer.ZeroGrad();
                    var (inputs, target) = OnDevice(batch);
                    var loss = Loss(Model.forward(inputs), target);
                    loss.backward();
                    // Data-parallel: the callbacks all-reduce the gradients, as in training, and the
                    // loss is averaged over the ranks, so every rank walks the same curve, stops at
                    // the same step and suggests the same rate.
                    foreach (var c in _callbacks) c.AfterBackward(this);
                    Optimizer.Step();
                    double v = Distributed.DistributedMetrics.StepMean(Communicator, TensorScalar.Value(loss), batch.Size);
                    avg = beta * avg + (1 - beta) * v;
                    double smooth = avg / (1 - Math.Pow(beta, i + 1));
                    i++;
                    if (!double.IsFinite(smooth) || smooth > 4 * best) { i = steps; break; }
                    best = Math.Min(best, smooth);
                    lrs.Add(lr);
                    losses.Add(smooth);
                }
                if (i >= steps) break;
            }
        }
        saved.Position = 0;
        LoadState(saved);
        if (cancelled) throw new OperationCanceledException("the learning-rate test was cancelled; the model and optimiser are as they were", cancellationToken);
        return new LrFinderResult(lrs.ToArray(), losses.ToArray(), Suggest(lrs, losses));
    }

    // Where the smoothed loss falls fastest against log(rate), before its minimum. The slope is
    // taken over a window of about a tenth of the points either side, not between neighbours, and
    // the first tenth is skipped: there the rate is too small to move anything and the running
    // mean rests on a few batches, so a lucky batch reads as a steep fall. (With neighbours only,
    // a reordered shuffle once turned a 3,000-row churn run's suggestion into 1.5e-7.)
    internal static double Suggest(List<double> lrs, List<double> losses)
    {
        int n = lrs.Count;
        if (n < 3) return n > 0 ? lrs[0] : 1e-3;
        int min = losses.IndexOf(losses.Min());
        int skip = Math.Max(1, n / 10), window = Math.Max(1, n / 10);
        if (min <= skip) skip = 1;   // the loss bottoms out early: look at all of it
        int steepest = skip;
        double slope = double.MaxValue;
        for (int k = skip; k <= Math.Max(skip, min); k++)
        {
            int a = Math.Max(0, k - window), b = Math.Min(n - 1, k + window);
            double s = (losses[b] - losses[a]) / (Math.Log(lrs[b]) - Math.Log(lrs[a]));
            if (s < slope) { slope = s; steepest = k; }
        }
        return lrs[steepest];
    }
}
