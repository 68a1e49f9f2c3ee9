namespace HpcLearn;

/// <summary>
/// What <see cref="ConvolutionCheck"/> does, with its parts given: the float32-against-float64
/// comparison, oneDNN's AVX2 hold and switch, and where its lines go (tests give fakes).
/// </summary>
internal sealed class ConvolutionChecker(
    Func<ConvShape, double> maxError, Func<bool> holdToAvx2, Func<bool> oneDnnEnabled, Func<bool> disableOneDnn, Action<string> warn)
{
    /// <summary>Largest difference allowed, relative to the float64 result's largest magnitude (float32 rounding is ~1e-6 here).</summary>
    public const double Tolerance = 1e-4;

    private readonly object _lock = new();
    private readonly HashSet<ConvShape> _right = new();
    private bool _probed, _held;
    private string? _off;

    /// <summary>What the checks found, e.g. "oneDNN: every checked shape right (3)".</summary>
    public string State
    {
        get
        {
            lock (_lock)
            {
                if (_off is not null) return _off;
                if (!_probed) return "no convolution checked";
                string kernels = !oneDnnEnabled() ? "libtorch's own" : _held ? "oneDNN held to AVX2" : "oneDNN";
                return $"{kernels}: every checked shape right ({_right.Count})";
            }
        }
    }

    /// <summary>Whether a shape was checked (or found wrong) since this checker was made.</summary>
    public bool AnyChecked { get { lock (_lock) return _probed; } }

    /// <summary>
    /// Checks each shape not yet found right: before the process's first check, holds oneDNN to AVX2
    /// when some shapes are <see cref="ConvShape.Risky"/> and all of those fit AVX2's 8-channel blocks;
    /// a shape computed wrong switches oneDNN off and is checked again. False when a shape stays wrong.
    /// </summary>
    public bool Ensure(IEnumerable<ConvShape> shapes)
    {
        lock (_lock)
        {
            var todo = shapes.Distinct().Where(s => !_right.Contains(s)).ToList();
            if (todo.Count == 0) return true;
            // Risky for AVX-512's 16-channel blocks but fitting AVX2's 8: AVX2 computes them right, and
            // faster than libtorch's own kernels. Shapes that fit neither are left to the check below.
            if (!_probed && todo.Where(s => s.Risky).ToList() is { Count: > 0 } risky && risky.All(s => s.ChannelsFit(8)) && holdToAvx2())
            {
                _held = true;
                warn($"convolutions: {risky[0]}{(risky.Count > 1 ? $" (and {risky.Count - 1} more shape{(risky.Count > 2 ? "s" : "")})" : "")} has channel counts that are not multiples of 16, which oneDNN's AVX-512 kernels computed wrong on an AMD EPYC (Zen 4); this process holds oneDNN to its AVX2 kernels (ONEDNN_MAX_CPU_ISA=AVX2): right, and a little slower; multiples of 16 keep AVX-512");
            }
            _probed = true;
            bool ok = true;
            foreach (var shape in todo)
            {
                double error = maxError(shape);
                if (error <= Tolerance) { _right.Add(shape); continue; }
                string wrong = $"{shape} is computed wrong (largest difference {Describe(error)} against float64)";
                if (!oneDnnEnabled() || !disableOneDnn())
                {
                    ok = false;
                    _off ??= $"wrong: {wrong}";
                    warn($"convolutions: {wrong}, and oneDNN is {(oneDnnEnabled() ? "on and cannot be switched off" : "off")}: training with it would be wrong");
                    continue;
                }
                // Shapes found right before ran on oneDNN: check them again when next asked.
                _right.Clear();
                double again = maxError(shape);
                if (again <= Tolerance)
                {
                    _right.Add(shape);
                    _off = $"libtorch's own: oneDNN computed {shape} wrong on this CPU ({Describe(error)})";
                    warn($"convolutions: oneDNN computed {shape} wrong on this CPU (largest difference {Describe(error)} against float64); this process uses libtorch's own convolutions instead: right, and slower; channel counts that are multiples of 8 keep oneDNN (its AVX2 kernels), of 16 its AVX-512 ones");
                }
                else
                {
                    ok = false;
                    _off = $"wrong: {wrong}, with oneDNN ({Describe(error)}) and without ({Describe(again)})";
                    warn($"convolutions: {wrong}, with oneDNN and without it ({Describe(again)}): training with it would be wrong");
                }
            }
            return ok;
        }
    }

    private static string Describe(double relative) =>
        double.IsPositiveInfinity(relative) || double.IsNaN(relative) ? "NaN" : $"{relative:P1} of the largest value";
}
