using System.Globalization;

namespace HpcLearn.Config;

/// <summary>
/// Reads and writes the scalar values of a config, culture-invariant, so that what
/// <see cref="ConfigWriter"/> writes <see cref="ConfigBinder"/> reads back unchanged.
/// </summary>
internal static class ScalarValues
{
    /// <summary>Parses <paramref name="text"/> as a value of scalar type <paramref name="t"/>.</summary>
    public static bool TryParse(Type t, string text, out object? value)
    {
        value = null;
        var s = text.Trim();
        if (t == typeof(string)) value = text;
        else if (t == typeof(int) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) value = i;
        else if (t == typeof(long) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) value = l;
        else if (t == typeof(double) && TryParseDouble(s, out var d)) value = d;
        else if (t == typeof(float) && TryParseDouble(s, out var f)) value = (float)f;
        else if (t == typeof(bool) && bool.TryParse(s, out var b)) value = b;
        else if (t.IsEnum) value = ParseEnum(t, s);
        return value is not null;
    }

    /// <summary>Formats a scalar as YAML text: enums snake_case, numbers round-trippable.</summary>
    public static string Format(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double d => FormatDouble(d),
        float f => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant() : FormatDouble(f),
        Enum e => ConfigNames.EnumValue(e),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    // Enum values match ignoring case and underscores: one_cycle, OneCycle and onecycle are the
    // same, and a number is never an enum value (Enum.Parse would accept "1"). The config
    // spelling (a ConfigName) matches as well as the C# name.
    private static object? ParseEnum(Type t, string s)
    {
        var loose = SnakeCase.Loose(s);
        foreach (var name in Enum.GetNames(t))
        {
            if (SnakeCase.Loose(name) == loose || SnakeCase.Loose(ConfigNames.EnumValue(t, name)) == loose)
                return Enum.Parse(t, name);
        }
        return null;
    }

    /// <summary>Whether <paramref name="text"/> names NaN or infinity itself (<c>.nan</c>, <c>-Infinity</c>), rather than a number too large to hold.</summary>
    public static bool SpellsNonFinite(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        return s.Contains("nan", StringComparison.Ordinal) || s.Contains("inf", StringComparison.Ordinal) || s.Contains('∞');
    }

    // YAML spells infinity and NaN .inf and .nan; .NET spells them Infinity and NaN.
    private static bool TryParseDouble(string s, out double d)
    {
        switch (s.ToLowerInvariant())
        {
            case ".inf" or "+.inf": d = double.PositiveInfinity; return true;
            case "-.inf": d = double.NegativeInfinity; return true;
            case ".nan": d = double.NaN; return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }

    private static string FormatDouble(double d) =>
        double.IsPositiveInfinity(d) ? ".inf"
        : double.IsNegativeInfinity(d) ? "-.inf"
        : double.IsNaN(d) ? ".nan"
        : d.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant(); // 1e-06, not .NET's 1E-06
}
