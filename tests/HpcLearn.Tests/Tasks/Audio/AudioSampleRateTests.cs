using Xunit;
using HpcLearn.Config;
using HpcLearn.Data.Audio;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Audio;
using HpcLearn.Tests.Tasks.Tabular;

namespace HpcLearn.Tests.Tasks.Audio;

/// <summary>The sample rate follows the WAV files unless the config gives one.</summary>
public sealed class AudioSampleRateTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Folder(params (string Class, int Rate, int Files)[] classes)
    {
        foreach (var (name, rate, files) in classes)
        {
            Directory.CreateDirectory(_dir[Path.Combine("wav", name)]);
            for (int i = 0; i < files; i++)
            {
                var samples = Enumerable.Range(0, rate / 2).Select(t => (float)Math.Sin(2 * Math.PI * (300 + 100 * i) * t / rate) * 0.5f).ToArray();
                WavWriter.Write(_dir[Path.Combine("wav", name, $"{i}.wav")], samples, rate);
            }
        }
        return _dir["wav"];
    }

    private static AudioConfig Load(string yaml) =>
        Assert.IsType<AudioConfig>(ConfigLoader.LoadFromText(yaml, "config.yaml", [], n => TaskRegistry.Find(n)?.ConfigType));

    [Fact]
    public void Eight_kilohertz_files_give_an_8_kHz_run_with_mel_bands_to_4_kHz()
    {
        var path = Folder(("yes", 8000, 4), ("no", 8000, 3), ("maybe", 16000, 2));
        var log = new StringWriter();
        var config = AudioData.ResolveSampleRate(Load($"task: audio\ndata:\n  source: folder\n  path: {path}\n"), log);
        Assert.Equal(8000, config.Audio.SampleRate);
        Assert.Equal(4000, config.Audio.EffectiveFMax);
        Assert.Equal($"audio: sample rate 8000 Hz, the most common rate of the files (8000 Hz: 7, 16000 Hz: 2); mel bands up to 4000 Hz; set audio.sample_rate to choose{Environment.NewLine}", log.ToString());
        Assert.Equal(8000, WavReader.PeekSampleRate(Path.Combine(path, "yes", "0.wav")));
    }

    [Fact]
    public void A_rate_the_config_gives_is_kept_even_at_the_default_value()
    {
        var path = Folder(("yes", 8000, 2), ("no", 8000, 2));
        var log = new StringWriter();
        var config = AudioData.ResolveSampleRate(Load($"task: audio\ndata:\n  source: folder\n  path: {path}\naudio:\n  sample_rate: 16000\n"), log);
        Assert.Equal(16000, config.Audio.SampleRate);
        Assert.Equal("", log.ToString());
    }

    [Fact]
    public void The_built_in_bird_calls_keep_16_kHz()
    {
        var config = AudioData.ResolveSampleRate(Load("task: audio\n"), TextWriter.Null);
        Assert.Equal(16000, config.Audio.SampleRate);
    }
}
