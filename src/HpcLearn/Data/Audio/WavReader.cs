using System.Buffers.Binary;

namespace HpcLearn.Data.Audio;

/// <summary>
/// Reads RIFF/WAVE files into mono float samples: PCM 8-bit unsigned, 16, 24 and 32-bit signed,
/// IEEE float 32 and 64, plain or as WAVE_FORMAT_EXTENSIBLE; any number of channels, averaged to
/// mono. Chunks other than <c>fmt </c> and <c>data</c> (LIST, fact, cue, ...) are skipped, with the
/// pad byte that follows an odd-sized chunk. A data size of 0xFFFFFFFF (left by writers streaming
/// to a pipe) means "to the end of the file".
/// <para>
/// A well-formed WAV in another encoding (A-law, µ-law, ADPCM, MP3-in-WAV, ...) is a
/// <see cref="UserError"/> naming the file and the format code; a truncated or malformed file is a
/// <see cref="CorruptWavException"/>, so callers can count it and skip it.
/// </para>
/// </summary>
public static class WavReader
{
    private const ushort FormatPcm = 0x0001;
    private const ushort FormatFloat = 0x0003;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Reads the WAV file at <paramref name="path"/>.</summary>
    /// <exception cref="CorruptWavException">The file is truncated or not a valid WAV.</exception>
    /// <exception cref="UserError">The file is missing, or a valid WAV in an encoding other than PCM or IEEE float.</exception>
    public static WavClip Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot read the file ({e.Message})", e);
        }
        return Decode(bytes, path);
    }

    /// <summary>
    /// The sample rate in the header of the WAV file at <paramref name="path"/>, read from its first
    /// 64 KiB without decoding the samples; null when the file cannot be read or has no fmt chunk there.
    /// </summary>
    public static int? PeekSampleRate(string path)
    {
        var head = new byte[64 * 1024];
        int n;
        try
        {
            using var stream = File.OpenRead(path);
            n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        var bytes = head.AsSpan(0, n);
        if (n < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8)) return null;
        for (int at = 12; at + 8 <= n;)
        {
            uint size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]);
            if (bytes.Slice(at, 4).SequenceEqual("fmt "u8))
            {
                if (at + 16 > n) return null;
                int rate = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 12)..]);
                return rate is >= MinSampleRate and <= MaxSampleRate ? rate : null;
            }
            long next = at + 8L + size + (size & 1);
            if (next > n) return null;
            at = (int)next;
        }
        return null;
    }

    /// <summary>Decodes the bytes of a WAV file; <paramref name="name"/> is used in error messages.</summary>
    public static WavClip Decode(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 12) throw new CorruptWavException(name, $"only {bytes.Length} bytes, too short for a RIFF header");
        if (!bytes[..4].SequenceEqual("RIFF"u8)) throw new CorruptWavException(name, "no RIFF header (not a WAV file)");
        if (!bytes[8..12].SequenceEqual("WAVE"u8)) throw new CorruptWavException(name, "RIFF file is not of type WAVE");

        // The RIFF size field is often wrong in files written by streaming tools; the chunks are the truth.
        Format? format = null;
        int pos = 12;
        while (pos + 8 <= bytes.Length)
        {
            var id = bytes.Slice(pos, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(pos + 4, 4));
            int body = pos + 8;
            long available = bytes.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size > available) throw new CorruptWavException(name, $"fmt chunk truncated: {size} bytes announced, {available} present");
                format = ParseFormat(bytes.Slice(body, (int)size), name);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null) throw new CorruptWavException(name, "data chunk before the fmt chunk");
                // Writers streaming to a pipe cannot know the length and leave 0xFFFFFFFF: the data runs to the end.
                if (size == uint.MaxValue) size = available - available % format.Value.BlockAlign;
                if (size > available) throw new CorruptWavException(name, $"data chunk truncated: {size} bytes announced, {available} present");
                return new WavClip(ToMono(bytes.Slice(body, (int)size), format.Value, name), format.Value.SampleRate, format.Value.Channels, format.Value.Sample);
            }
            pos = (int)Math.Min(bytes.Length, body + size + (size & 1));
        }
        throw new CorruptWavException(name, format is null ? "no fmt chunk" : "no data chunk");
    }

    /// <summary>The lowest sample rate read, in Hz (below any recording format in use).</summary>
    public const int MinSampleRate = 1000;

    /// <summary>The highest sample rate read, in Hz (768 kHz, the highest rate audio interfaces record at).</summary>
    public const int MaxSampleRate = 768_000;

    private readonly record struct Format(int Channels, int SampleRate, int BlockAlign, WavSampleFormat Sample);

    private static Format ParseFormat(ReadOnlySpan<byte> fmt, string name)
    {
        if (fmt.Length < 16) throw new CorruptWavException(name, $"fmt chunk has {fmt.Length} bytes, at least 16 needed");
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        long rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible)
        {
            // cbSize(2) validBits(2) channelMask(4) subFormat GUID(16): the GUID's first two bytes are the real tag.
            if (fmt.Length < 40) throw new CorruptWavException(name, $"WAVE_FORMAT_EXTENSIBLE fmt chunk has {fmt.Length} bytes, 40 needed");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }
        if (tag != FormatPcm && tag != FormatFloat)
            throw new UserError($"{name}: WAV format code 0x{tag:X4} ({FormatName(tag)}) is not supported; convert it to PCM or float WAV (e.g. sox in.wav -e signed-integer out.wav)");
        if (channels == 0) throw new CorruptWavException(name, "fmt chunk says 0 channels");
        // Outside [MinSampleRate, MaxSampleRate] a header is damaged or hostile: resampling a claimed
        // 2^31 Hz to 16 kHz asked for 23 GB of filter weights, and 1 Hz would grow each sample 16,000-fold.
        if (rate < MinSampleRate || rate > MaxSampleRate)
            throw new CorruptWavException(name, $"fmt chunk says a sample rate of {rate} Hz; WAV files from 1,000 to 768,000 Hz are read");
        WavSampleFormat sample = (tag, bits) switch
        {
            (FormatPcm, 8) => WavSampleFormat.Pcm8,
            (FormatPcm, 16) => WavSampleFormat.Pcm16,
            (FormatPcm, 24) => WavSampleFormat.Pcm24,
            (FormatPcm, 32) => WavSampleFormat.Pcm32,
            (FormatFloat, 32) => WavSampleFormat.Float32,
            (FormatFloat, 64) => WavSampleFormat.Float64,
            _ => throw new UserError($"{name}: {(tag == FormatPcm ? "PCM" : "float")} WAV with {bits} bits per sample is not supported (PCM 8/16/24/32 or float 32/64 are)"),
        };
        if (blockAlign != channels * WavWriter.BytesPerSample(sample))
            throw new CorruptWavException(name, $"block align {blockAlign} does not match {channels} channel(s) of {bits}-bit samples");
        return new Format(channels, (int)rate, blockAlign, sample);
    }

    private static float[] ToMono(ReadOnlySpan<byte> data, Format f, string name)
    {
        // A partial last frame means the file was cut mid-write.
        if (data.Length % f.BlockAlign != 0)
            throw new CorruptWavException(name, $"data chunk of {data.Length} bytes is not a whole number of {f.BlockAlign}-byte frames");
        int frames = data.Length / f.BlockAlign, width = WavWriter.BytesPerSample(f.Sample);
        var mono = new float[frames];
        double inverseChannels = 1.0 / f.Channels;
        for (int i = 0; i < frames; i++)
        {
            var frame = data.Slice(i * f.BlockAlign, f.BlockAlign);
            double sum = 0;
            for (int c = 0; c < f.Channels; c++) sum += Sample(frame.Slice(c * width, width), f.Sample);
            mono[i] = (float)(sum * inverseChannels);
        }
        return mono;
    }

    private static double Sample(ReadOnlySpan<byte> b, WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm8 => (b[0] - 128) / 128.0,
        WavSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768.0,
        WavSampleFormat.Pcm24 => ((b[0] | (b[1] << 8) | (b[2] << 16)) << 8 >> 8) / 8388608.0,
        WavSampleFormat.Pcm32 => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648.0,
        WavSampleFormat.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b),
        _ => BinaryPrimitives.ReadDoubleLittleEndian(b),
    };

    private static string FormatName(ushort tag) => tag switch
    {
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MP3",
        0x0161 or 0x0162 or 0x0163 => "Windows Media Audio",
        0x1610 or 0x00FF => "AAC",
        0xF1AC => "FLAC",
        _ => "a compressed or vendor encoding",
    };
}
