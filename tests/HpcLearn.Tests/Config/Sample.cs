using HpcLearn.Config;
using Xunit;

namespace HpcLearn.Tests.Config;

/// <summary>Loads <see cref="SampleConfig"/> from text the way the CLI loads a file.</summary>
internal static class Sample
{
    public static Type? TypeFor(string task) => task == "sample" ? typeof(SampleConfig) : null;

    public static SampleConfig Load(string yaml, params string[] sets) =>
        (SampleConfig)ConfigLoader.LoadFromText(yaml, "config.yaml", sets, TypeFor);

    /// <summary>The one-line message of the <see cref="UserError"/> loading must throw.</summary>
    public static string Error(string yaml, params string[] sets) =>
        Assert.Throws<UserError>(() => Load(yaml, sets)).Message;
}
