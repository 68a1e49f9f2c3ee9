using System.Collections;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HpcLearn.Config;

/// <summary>
/// Writes a resolved config as YAML: every key, defaults included, so a run folder's
/// <c>config.yaml</c> says exactly what ran and loads back to an equal config. Keys the task does
/// not read (<see cref="IUnreadKeys"/>) are left out: the loader would refuse them.
/// </summary>
public static class ConfigWriter
{
    /// <summary>
    /// The YAML for <paramref name="options"/>: snake_case keys in declaration order, enums snake_case,
    /// nulls as <c>null</c>, nested sections indented, lists as flow sequences (<c>[64, 32]</c>).
    /// </summary>
    /// <param name="options">An options object (e.g. a <see cref="RunConfig"/>).</param>
    public static string ToYaml(object options) => ToYaml(options, describe: false);

    /// <summary>
    /// As <see cref="ToYaml(object)"/>; with <paramref name="describe"/>, each key is followed by a
    /// comment with its one-line description (<see cref="ConfigDocs"/>), for <c>hpclearn tasks</c>.
    /// </summary>
    public static string ToYaml(object options, bool describe)
    {
        var writer = new StringWriter { NewLine = "\n" };
        // YamlDotNet's emitter does the quoting, so strings with ':', '#' or quotes survive.
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Section(emitter, options, describe, "", (options as IUnreadKeys)?.UnreadKeys);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Section(IEmitter emitter, object section, bool describe, string keyPath, IReadOnlyDictionary<string, string>? unread)
    {
        emitter.Emit(new MappingStart());
        foreach (var option in OptionProperty.Of(section.GetType()))
        {
            string full = keyPath.Length == 0 ? option.Key : $"{keyPath}.{option.Key}";
            if (unread?.ContainsKey(full) == true) continue;
            // A section's description goes above its key; a value's after it, on its line.
            string? text = describe ? ConfigDocs.Describe(option.Info) : null;
            var value = option.Info.GetValue(section);
            bool nested = value is not null && (ConfigTypes.IsSection(option.Type) || ConfigTypes.MapValue(option.Type) is not null);
            if (text is not null && nested) emitter.Emit(new Comment(text, isInline: false));
            emitter.Emit(new Scalar(option.Key));
            Value(emitter, option.Type, value, describe, full, unread);
            if (text is not null && !nested) emitter.Emit(new Comment(text, isInline: true));
        }
        emitter.Emit(new MappingEnd());
    }

    private static void Value(IEmitter emitter, Type type, object? value, bool describe, string keyPath, IReadOnlyDictionary<string, string>? unread)
    {
        var under = Nullable.GetUnderlyingType(type) ?? type;
        switch (value)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case var _ when ConfigTypes.IsScalar(under):
                Scalar(emitter, value);
                break;
            case IEnumerable list when ConfigTypes.ListElement(under) is not null:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Flow));
                foreach (var item in list) Scalar(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case IDictionary map when ConfigTypes.MapValue(under) is not null:
                emitter.Emit(new MappingStart());
                foreach (DictionaryEntry entry in map)
                {
                    Scalar(emitter, entry.Key);
                    Scalar(emitter, entry.Value);
                }
                emitter.Emit(new MappingEnd());
                break;
            default:
                Section(emitter, value, describe, keyPath, unread);
                break;
        }
    }

    private static void Scalar(IEmitter emitter, object? value)
    {
        var text = value is null ? "" : ScalarValues.Format(value);
        // A string that reads as YAML null ('', '~', 'null') must be quoted to stay a string.
        emitter.Emit(value is string && YamlText.IsNullText(text)
            ? new Scalar(null, null, text, ScalarStyle.DoubleQuoted, false, true)
            : new Scalar(text));
    }
}
