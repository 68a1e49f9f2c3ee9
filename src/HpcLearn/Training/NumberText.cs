using System.Globalization;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// Numbers as people read them in a log line: learning rates, losses and thresholds to a few
/// significant digits, with a lower-case exponent only when small or large (<c>0.003</c>,
/// <c>6e-05</c>, never .NET's <c>6E-05</c>), as Python's <c>%g</c> prints them.
/// </summary>
public static class NumberText
{
    /// <summary><paramref name="value"/> to <paramref name="digits"/> significant digits, invariant culture.</summary>
    public static string Short(double value, int digits = 3) =>
        value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToLowerInvariant();
}
