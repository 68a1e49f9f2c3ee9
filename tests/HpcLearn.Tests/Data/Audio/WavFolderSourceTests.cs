using System.Buffers.Binary;
using HpcLearn.Data.Audio;
using Xunit;

namespace HpcLearn.Tests.Data.Audio;

public sealed class WavFolderSourceTests
{
    private static readonly AudioOptions Options = new() { SampleRate = 8000, ClipSeconds = 0.5 };   // 4000 samples

    private static float[] Sine(double hz, int rate, int n) =>
        Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();

    private static string Wav(TempDir dir, string label, string name, float[] x, int rate = 8000, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, label));
        var path = Path.Combine(dir.Path, label, name);
        WavWriter.Write(path, x, rate, format);
        return path;
    }

    [Fact]
    public void Loads_classes_in_sorted_order_resampled_cropped_and_padded_to_the_clip_length()
    {
        using var dir = new TempDir();
        Wav(dir, "wren", "b.wav", Sine(500, 8000, 4000));
        Wav(dir, "wren", "a.WAV", Sine(500, 16000, 16000), 16000, WavSampleFormat.Float32);   // 1 s at 16 kHz: resampled, then cropped
        Wav(dir, "owl", "x.wav", Sine(300, 8000, 1000), format: WavSampleFormat.Pcm24);       // short: padded
        File.WriteAllText(Path.Combine(dir.Path, "owl", "notes.txt"), "not audio");
        Directory.CreateDirectory(Path.Combine(dir.Path, ".cache"));

        var set = WavFolderSource.Load(dir.Path, Options);

        Assert.Equal(["owl", "wren"], set.ClassNames);
        Assert.Equal([0, 1, 1], set.Labels);
        Assert.All(set.Clips, c => Assert.Equal(4000, c.Length));
        Assert.Equal([1, 2], set.Summary.CountsPerClass);
        Assert.Equal((1, 1, 1), (set.Summary.Resampled, set.Summary.Cropped, set.Summary.Padded));
        // The padded clip sits in the middle: 1500 zeros, the 1000 samples, 1500 zeros.
        Assert.All(set.Clips[0][..1500], v => Assert.Equal(0f, v));
        Assert.Equal(0.5 * Math.Sin(2 * Math.PI * 300 * 10 / 8000), set.Clips[0][1510], 1e-6);
        Assert.All(set.Clips[0][2500..], v => Assert.Equal(0f, v));
        // The resampled clip is the centre half-second of the same 500 Hz tone.
        Assert.Equal(0.5 * Math.Sin(2 * Math.PI * 500 * (2000 + 0.25 * 16000 / 2) / 8000), set.Clips[1][2000], 0.01);
    }

    [Fact]
    public void Corrupt_and_unsupported_files_are_skipped_named_and_counted()
    {
        using var dir = new TempDir();
        for (int i = 0; i < 10; i++) { Wav(dir, "a", $"{i}.wav", Sine(440, 8000, 4000)); Wav(dir, "b", $"{i}.wav", Sine(880, 8000, 4000)); }
        var cut = Wav(dir, "a", "cut.wav", Sine(440, 8000, 4000));
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..3000]);
        var alaw = WavWriter.Encode([Sine(440, 8000, 100)], 8000, WavSampleFormat.Pcm8);
        BinaryPrimitives.WriteUInt16LittleEndian(alaw.AsSpan(20), 6);
        File.WriteAllBytes(Path.Combine(dir.Path, "b", "alaw.wav"), alaw);

        var set = WavFolderSource.Load(dir.Path, Options, maxBadFraction: 0.1);

        Assert.Equal([10, 10], set.Summary.CountsPerClass);
        Assert.Equal(22, set.Summary.FilesSeen);
        Assert.Equal([Path.Combine(dir.Path, "a", "cut.wav"), Path.Combine(dir.Path, "b", "alaw.wav")], set.Summary.Skipped.Select(s => s.Path));
        Assert.StartsWith("corrupt WAV: data chunk truncated", set.Summary.Skipped[0].Reason);
        Assert.StartsWith("WAV format code 0x0006 (A-law) is not supported", set.Summary.Skipped[1].Reason);
        Assert.Contains("skipped 2 of 22 files", set.Summary.Describe());

        var e = Assert.Throws<UserError>(() => WavFolderSource.Load(dir.Path, Options, maxBadFraction: 0.05));
        Assert.StartsWith($"{dir.Path}: 2 of 22 files could not be read (9.1%, more than max_bad_fraction 0.05); first: {cut}: corrupt WAV", e.Message);
    }

    [Fact]
    public void Refuses_a_missing_folder_one_class_an_empty_class_and_a_class_with_no_readable_file()
    {
        using var dir = new TempDir();
        Assert.Contains("folder not found", Assert.Throws<UserError>(() => WavFolderSource.Load(Path.Combine(dir.Path, "nope"), Options)).Message);
        Assert.Contains("no class folders", Assert.Throws<UserError>(() => WavFolderSource.Load(dir.Path, Options)).Message);

        Wav(dir, "owl", "1.wav", Sine(300, 8000, 4000));
        Assert.Equal($"{dir.Path}: only one class folder (owl); classification needs at least two",
            Assert.Throws<UserError>(() => WavFolderSource.Load(dir.Path, Options)).Message);

        Directory.CreateDirectory(Path.Combine(dir.Path, "wren"));
        Assert.Equal($"{Path.Combine(dir.Path, "wren")}: class folder has no .wav files; add recordings or remove the folder",
            Assert.Throws<UserError>(() => WavFolderSource.Load(dir.Path, Options)).Message);

        File.WriteAllBytes(Path.Combine(dir.Path, "wren", "bad.wav"), new byte[50]);
        Assert.StartsWith($"{Path.Combine(dir.Path, "wren")}: none of the class's .wav files could be read",
            Assert.Throws<UserError>(() => WavFolderSource.Load(dir.Path, Options, maxBadFraction: 0.5)).Message);
    }

    [Fact]
    public void A_single_file_is_prepared_as_in_a_folder_and_its_errors_name_it()
    {
        using var dir = new TempDir();
        Wav(dir, "a", "1.wav", Sine(440, 16000, 12000), 16000, WavSampleFormat.Float32);
        Wav(dir, "b", "1.wav", Sine(880, 8000, 4000));
        var empty = Wav(dir, "b", "empty.wav", []);
        var cut = Wav(dir, "b", "cut.wav", Sine(880, 8000, 4000));
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..100]);

        var set = WavFolderSource.Load(dir.Path, Options, maxBadFraction: 0.5);

        Assert.Equal(set.Clips[0], WavFolderSource.LoadFile(Path.Combine(dir.Path, "a", "1.wav"), Options));
        Assert.Equal([Path.Combine(dir.Path, "b", "cut.wav"), empty], set.Summary.Skipped.Select(s => s.Path));
        Assert.Equal("no samples", set.Summary.Skipped[1].Reason);
        Assert.Equal($"{empty}: the WAV file has no samples", Assert.Throws<UserError>(() => WavFolderSource.LoadFile(empty, Options)).Message);
        Assert.Equal(cut, Assert.Throws<CorruptWavException>(() => WavFolderSource.LoadFile(cut, Options)).File);
    }
}
