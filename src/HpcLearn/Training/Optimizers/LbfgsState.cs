using TorchSharp;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training.Optimizers;

/// <summary>
/// Where an <see cref="Lbfgs"/> run is between iterations: the curvature pairs (s, y, 1/sᵀy),
/// the loss and flat gradient at the current point (the parameters themselves), and the counts.
/// Pass the same object to <see cref="Lbfgs.Minimize"/> again, or <see cref="Save"/> it into a
/// checkpoint and <see cref="Load"/> it later, and the run continues exactly where it stopped: the
/// next direction, step and pair are the ones the uninterrupted run would have taken.
/// </summary>
public sealed class LbfgsState : IDisposable
{
    internal List<(Tensor S, Tensor Y, double Rho)> History { get; } = new();

    /// <summary>Iterations (line searches) done.</summary>
    public int Iterations { get; internal set; }

    /// <summary>Calls of the closure so far.</summary>
    public int Evaluations { get; internal set; }

    /// <summary>The loss at the current point (NaN before the first evaluation).</summary>
    public double Loss { get; internal set; } = double.NaN;

    /// <summary>The flat gradient at the current point; null before the first evaluation.</summary>
    internal Tensor? Gradient { get; private set; }

    /// <summary>The curvature pairs held (at most the history size).</summary>
    public int Pairs => History.Count;

    internal void SetGradient(Tensor gradient)
    {
        Gradient?.Dispose();
        Gradient = gradient;
    }

    /// <summary>Writes the counts, the loss, the gradient and the pairs.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Iterations);
        writer.Write(Evaluations);
        writer.Write(Loss);
        writer.Write(Gradient is not null);
        Gradient?.Save(writer);
        writer.Write(History.Count);
        foreach (var (s, y, rho) in History)
        {
            s.Save(writer);
            y.Save(writer);
            writer.Write(rho);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote for <paramref name="length"/> parameters of <paramref name="dtype"/>.</summary>
    public static LbfgsState Load(BinaryReader reader, long length, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = new LbfgsState();
        try
        {
            state.Iterations = reader.ReadInt32();
            state.Evaluations = reader.ReadInt32();
            state.Loss = reader.ReadDouble();
            if (reader.ReadBoolean()) state.SetGradient(Read(reader, length, dtype));
            int pairs = reader.ReadInt32();
            for (int i = 0; i < pairs; i++)
            {
                var s = Read(reader, length, dtype);
                var y = Read(reader, length, dtype);
                state.History.Add((s, y, reader.ReadDouble()));
            }
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    private static Tensor Read(BinaryReader reader, long length, ScalarType dtype)
    {
        var t = empty(length, dtype: dtype);
        t.Load(reader);
        return t;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Gradient?.Dispose();
        Gradient = null;
        foreach (var (s, y, _) in History) { s.Dispose(); y.Dispose(); }
        History.Clear();
    }
}
