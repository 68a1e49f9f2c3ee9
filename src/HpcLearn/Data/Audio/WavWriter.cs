using System.Buffers.Binary;

namespace HpcLearn.Data.Audio;

/// <summary>
/// Writes RIFF/WAVE files in the encodings <see cref="WavReader"/> reads. Samples are floats in
/// [-1, 1]; integer encodings round to the nearest step (scale 2^(bits-1)) and clip at full scale.
/// </summary>
public static class WavWriter
{
    /// <summary>Writes a mono file.</summary>
    public static void Write(string path, float[] samples, int sampleRate, WavSampleFormat format = WavSampleFormat.Pcm16) =>
        File.WriteAllBytes(path, Encode([samples], sampleRate, format));

    /// <summary>Writes one or more channels (all of the same length).</summary>
    public static void Write(string path, float[][] channels, int sampleRate, WavSampleFormat format, bool extensible = false) =>
        File.WriteAllBytes(path, Encode(channels, sampleRate, format, extensible));

    /// <summary>
    /// The bytes of a WAV file holding <paramref name="channels"/> (interleaved on disk).
    /// With <paramref name="extensible"/> the fmt chunk is WAVE_FORMAT_EXTENSIBLE (40 bytes).
    /// </summary>
    public static byte[] Encode(float[][] channels, int sampleRate, WavSampleFormat format, bool extensible = false)
    {
        if (channels.Length is 0 or > ushort.MaxValue) throw new ArgumentException("between 1 and 65535 channels are needed", nameof(channels));
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), "the sample rate must be positive");
        int frames = channels[0].Length;
        if (channels.Any(c => c.Length != frames)) throw new ArgumentException("all channels must have the same length", nameof(channels));

        int width = BytesPerSample(format), blockAlign = width * channels.Length;
        int fmtSize = extensible ? 40 : 16;
        int dataSize = checked(frames * blockAlign);
        var bytes = new byte[12 + 8 + fmtSize + 8 + dataSize + (dataSize & 1)];
        var s = bytes.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(bytes.Length - 8));
        "WAVE"u8.CopyTo(s[8..]);
        "fmt "u8.CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)fmtSize);
        ushort tag = format is WavSampleFormat.Float32 or WavSampleFormat.Float64 ? (ushort)3 : (ushort)1;
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], extensible ? (ushort)0xFFFE : tag);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], (ushort)channels.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], (ushort)(width * 8));
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s[36..], 22);                  // cbSize
            BinaryPrimitives.WriteUInt16LittleEndian(s[38..], (ushort)(width * 8)); // valid bits
            BinaryPrimitives.WriteUInt32LittleEndian(s[40..], 0);                   // channel mask: unspecified
            // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000t-0000-0010-8000-00AA00389B71}
            BinaryPrimitives.WriteUInt16LittleEndian(s[44..], tag);
            ReadOnlySpan<byte> guidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            guidTail.CopyTo(s[46..]);
        }
        int data = 20 + fmtSize;
        "data"u8.CopyTo(s[data..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(data + 4)..], (uint)dataSize);
        var body = s[(data + 8)..];
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < channels.Length; c++)
                Put(body.Slice((i * channels.Length + c) * width, width), channels[c][i], format);
        return bytes;
    }

    /// <summary>Bytes one sample takes on disk.</summary>
    public static int BytesPerSample(WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm8 => 1,
        WavSampleFormat.Pcm16 => 2,
        WavSampleFormat.Pcm24 => 3,
        WavSampleFormat.Pcm32 or WavSampleFormat.Float32 => 4,
        _ => 8,
    };

    private static void Put(Span<byte> b, float x, WavSampleFormat format)
    {
        switch (format)
        {
            case WavSampleFormat.Pcm8: b[0] = (byte)(Quantize(x, 8) + 128); break;
            case WavSampleFormat.Pcm16: BinaryPrimitives.WriteInt16LittleEndian(b, (short)Quantize(x, 16)); break;
            case WavSampleFormat.Pcm24:
                int v = (int)Quantize(x, 24);
                b[0] = (byte)v; b[1] = (byte)(v >> 8); b[2] = (byte)(v >> 16);
                break;
            case WavSampleFormat.Pcm32: BinaryPrimitives.WriteInt32LittleEndian(b, (int)Quantize(x, 32)); break;
            case WavSampleFormat.Float32: BinaryPrimitives.WriteSingleLittleEndian(b, x); break;
            default: BinaryPrimitives.WriteDoubleLittleEndian(b, x); break;
        }
    }

    private static long Quantize(float x, int bits)
    {
        double full = Math.Pow(2, bits - 1);
        double v = Math.Round(double.IsNaN(x) ? 0 : x * full);
        return (long)Math.Clamp(v, -full, full - 1);
    }
}
