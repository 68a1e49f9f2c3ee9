using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>How the report reads summary.json and evaluation.json.</summary>
internal static class ReportJson
{
    /// <summary>
    /// NaN is written as "NaN" (empty reliability bins, undefined metrics); a part that lacks a
    /// field or holds null where none is allowed is refused rather than shown half-empty.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>Reads <paramref name="path"/> as <typeparamref name="T"/>; a broken file is a <see cref="UserError"/> naming it.</summary>
    public static T Read<T>(string path, string remedy)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                ?? throw new UserError($"{path}: holds null instead of an object; {remedy}");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $":{line + 1}" : "";
            throw new UserError($"{path}{where}: not a valid {Path.GetFileName(path)} ({OneLine(e.Message)}); {remedy}", e);
        }
    }

    /// <summary>The numeric top-level entries of summary.json's extension data, in file order.</summary>
    public static List<KeyValuePair<string, double>> Numbers(IEnumerable<KeyValuePair<string, object>> entries)
    {
        var result = new List<KeyValuePair<string, double>>();
        foreach (var (key, value) in entries)
        {
            double? v = value switch
            {
                JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
                JsonElement { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                double d => d,
                _ => null,
            };
            if (v is double x) result.Add(new(key, x));
        }
        return result;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
