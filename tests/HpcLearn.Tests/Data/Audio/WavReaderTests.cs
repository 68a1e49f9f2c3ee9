using System.Buffers.Binary;
using HpcLearn.Data.Audio;
using Xunit;

namespace HpcLearn.Tests.Data.Audio;

public sealed class WavReaderTests
{
    private static float[] Noise(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 1.8 - 0.9)).ToArray();
    }

    public static TheoryData<WavSampleFormat, bool, double> Formats() => new()
    {
        // Tolerance: half a quantisation step for integer PCM, exact for float.
        { WavSampleFormat.Pcm8, false, 0.5 / 128 }, { WavSampleFormat.Pcm8, true, 0.5 / 128 },
        { WavSampleFormat.Pcm16, false, 0.5 / 32768 }, { WavSampleFormat.Pcm16, true, 0.5 / 32768 },
        { WavSampleFormat.Pcm24, false, 0.5 / 8388608 }, { WavSampleFormat.Pcm24, true, 0.5 / 8388608 },
        { WavSampleFormat.Pcm32, false, 1e-7 }, { WavSampleFormat.Pcm32, true, 1e-7 },
        { WavSampleFormat.Float32, false, 0 }, { WavSampleFormat.Float32, true, 0 },
        { WavSampleFormat.Float64, false, 0 }, { WavSampleFormat.Float64, true, 0 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_format_round_trips_within_half_a_quantisation_step(WavSampleFormat format, bool extensible, double tolerance)
    {
        var x = Noise(101, 1);   // odd length: 8-bit mono data needs a pad byte
        var clip = WavReader.Decode(WavWriter.Encode([x], 22050, format, extensible), "x.wav");

        Assert.Equal(22050, clip.SampleRate);
        Assert.Equal(1, clip.Channels);
        Assert.Equal(format, clip.Format);
        Assert.Equal(x.Length, clip.Samples.Length);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(clip.Samples[i] - x[i]) <= tolerance, $"sample {i}: {clip.Samples[i]} vs {x[i]}");
    }

    [Fact]
    public void Full_scale_integer_samples_read_as_minus_one_and_just_below_one()
    {
        var clip = WavReader.Decode(WavWriter.Encode([[-1f, 1f, 0f]], 8000, WavSampleFormat.Pcm16), "x.wav");
        Assert.Equal([-1f, 32767f / 32768, 0f], clip.Samples);
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16)]
    [InlineData(WavSampleFormat.Pcm24)]
    [InlineData(WavSampleFormat.Float32)]
    public void Channels_are_averaged_to_mono(WavSampleFormat format)
    {
        float[] left = [0.5f, -0.25f, 0.75f, 0f], right = [0.25f, 0.25f, -0.75f, 0.5f], third = [0f, 0.75f, 0f, 0.25f];
        var stereo = WavReader.Decode(WavWriter.Encode([left, right], 16000, format), "s.wav");
        var three = WavReader.Decode(WavWriter.Encode([left, right, third], 16000, format, extensible: true), "t.wav");

        Assert.Equal(2, stereo.Channels);
        Assert.Equal([0.375f, 0f, 0f, 0.25f], stereo.Samples);
        Assert.Equal(3, three.Channels);
        for (int i = 0; i < 4; i++) Assert.Equal((left[i] + right[i] + third[i]) / 3, three.Samples[i], 1e-6f);
    }

    /// <summary>A file built byte by byte, not by WavWriter: fmt, an odd-sized LIST chunk with its pad byte, a fact chunk, data.</summary>
    [Fact]
    public void Unknown_chunks_are_skipped_with_their_pad_byte()
    {
        var b = new List<byte>();
        void Ascii(string s) => b.AddRange(s.Select(c => (byte)c));
        void U32(uint v) { var t = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(t, v); b.AddRange(t); }
        void U16(ushort v) { var t = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(t, v); b.AddRange(t); }
        Ascii("RIFF"); U32(0); Ascii("WAVE");            // wrong RIFF size, as streaming writers leave it
        Ascii("fmt "); U32(16); U16(1); U16(1); U32(8000); U32(16000); U16(2); U16(16);
        Ascii("LIST"); U32(5); Ascii("INFOx"); b.Add(0); // odd size: one pad byte follows
        Ascii("fact"); U32(4); U32(3);
        Ascii("data"); U32(6); U16(0); U16(16384); U16(0x8000);
        Ascii("junk"); U32(2); U16(7);                   // after data: ignored

        var clip = WavReader.Decode(b.ToArray(), "hand.wav");

        Assert.Equal(8000, clip.SampleRate);
        Assert.Equal([0f, 0.5f, -1f], clip.Samples);
    }

    [Fact]
    public void A_truncated_file_is_corrupt_and_names_the_file()
    {
        var bytes = WavWriter.Encode([Noise(1000, 2)], 16000, WavSampleFormat.Pcm16);

        var cut = Assert.Throws<CorruptWavException>(() => WavReader.Decode(bytes.AsSpan(0, 1200), "cut.wav"));
        Assert.Equal("cut.wav", cut.File);
        Assert.Equal("cut.wav: corrupt WAV: data chunk truncated: 2000 bytes announced, 1156 present", cut.Message);
        Assert.Contains("too short", Assert.Throws<CorruptWavException>(() => WavReader.Decode(bytes.AsSpan(0, 10), "a.wav")).Reason);
        Assert.Contains("no data chunk", Assert.Throws<CorruptWavException>(() => WavReader.Decode(bytes.AsSpan(0, 40), "b.wav")).Reason);
        Assert.Contains("no RIFF header", Assert.Throws<CorruptWavException>(() => WavReader.Decode(new byte[100], "c.wav")).Reason);
    }

    [Fact]
    public void A_streamed_file_with_unknown_data_size_reads_to_the_end()
    {
        float[] x = [0.5f, -0.25f, 0.125f];
        var bytes = WavWriter.Encode([x], 8000, WavSampleFormat.Pcm16);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), uint.MaxValue);

        Assert.Equal(x, WavReader.Decode(bytes, "pipe.wav").Samples);
        Assert.Equal(x[..2], WavReader.Decode(bytes.AsSpan(0, bytes.Length - 1), "pipe.wav").Samples);   // a cut last frame is dropped
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(999u)]
    [InlineData(768_001u)]
    [InlineData(2_147_483_647u)]   // resampled to 16 kHz this asked for 23 GB of filter weights and was killed
    [InlineData(uint.MaxValue)]
    public void A_sample_rate_outside_the_real_range_is_corrupt_before_anything_is_allocated(uint rate)
    {
        var bytes = WavWriter.Encode([Noise(10, 3)], 16000, WavSampleFormat.Pcm16);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), rate);

        var e = Assert.Throws<CorruptWavException>(() => WavReader.Decode(bytes, "r.wav"));
        Assert.Equal($"fmt chunk says a sample rate of {rate} Hz; WAV files from 1,000 to 768,000 Hz are read", e.Reason);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(768_000)]
    public void The_extreme_real_sample_rates_are_read(int rate)
    {
        float[] x = [0.5f, -0.25f];
        var clip = WavReader.Decode(WavWriter.Encode([x], rate, WavSampleFormat.Pcm16), "x.wav");
        Assert.Equal(rate, clip.SampleRate);
    }

    [Fact]
    public void A_partial_last_frame_is_corrupt()
    {
        var bytes = WavWriter.Encode([Noise(10, 3), Noise(10, 4)], 16000, WavSampleFormat.Pcm16);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), 38);   // 9.5 stereo frames

        Assert.Contains("not a whole number", Assert.Throws<CorruptWavException>(() => WavReader.Decode(bytes, "p.wav")).Reason);
    }

    [Fact]
    public void A_wav_that_is_not_pcm_or_float_is_a_user_error_naming_file_and_code()
    {
        var alaw = WavWriter.Encode([Noise(10, 5)], 8000, WavSampleFormat.Pcm8);
        BinaryPrimitives.WriteUInt16LittleEndian(alaw.AsSpan(20), 0x0006);
        var mp3 = WavWriter.Encode([Noise(10, 5)], 8000, WavSampleFormat.Pcm16, extensible: true);
        BinaryPrimitives.WriteUInt16LittleEndian(mp3.AsSpan(44), 0x0055);  // the sub-format GUID's tag

        var e = Assert.Throws<UserError>(() => WavReader.Decode(alaw, "calls/alaw.wav"));
        Assert.StartsWith("calls/alaw.wav: WAV format code 0x0006 (A-law) is not supported", e.Message);
        Assert.StartsWith("m.wav: WAV format code 0x0055 (MP3) is not supported", Assert.Throws<UserError>(() => WavReader.Decode(mp3, "m.wav")).Message);
    }

    [Fact]
    public void Reading_from_disk_matches_decoding_and_a_missing_file_is_a_user_error()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "a.wav");
        WavWriter.Write(path, [0.5f, -0.5f], 16000, WavSampleFormat.Float32);

        Assert.Equal([0.5f, -0.5f], WavReader.Read(path).Samples);
        Assert.Contains("cannot read the file", Assert.Throws<UserError>(() => WavReader.Read(Path.Combine(dir.Path, "none.wav"))).Message);
    }
}
