using System.Diagnostics;
using System.Globalization;
using HpcLearn.Data.Audio;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Bench;

/// <summary>
/// logmel CLIPS BATCH THREADS REPEATS: log-mel spectrograms of CLIPS one-second 16 kHz clips with the
/// default <see cref="AudioOptions"/> (n_fft 512, hop 160, 64 HTK mels, 0-8000 Hz, ln(mel + 1e-6)),
/// BATCH clips per call, THREADS libtorch threads; median clips/s (wall) and CPU ms per clip (all threads,
/// from the process's CPU time: steadier than wall time on a shared machine) over REPEATS passes after one warm-up.
/// Two paths: from a (N, 16000) tensor (what bench/peers/logmel_torch.py does: like for like) and
/// from float[] clips through <see cref="AudioFeatures"/> (copy into a tensor included).
/// Clip i is 0.5 sin(2π(300 + 13i)t) + 0.1 sin(2π·5000t + i), computed in float64 then rounded to
/// float32, as in the peer; the checksum (mean of every log-mel value) must agree with the peer's.
/// </summary>
internal static class LogMelBench
{
    public static int Run(string[] args)
    {
        int clips = args.Length > 0 ? int.Parse(args[0]) : 512, batch = args.Length > 1 ? int.Parse(args[1]) : 64;
        int threads = args.Length > 2 ? int.Parse(args[2]) : Environment.ProcessorCount, repeats = args.Length > 3 ? int.Parse(args[3]) : 7;
        TorchRuntime.SetThreads(threads);
        var options = new AudioOptions();
        int n = options.ClipSamples;
        var data = new float[clips][];
        for (int i = 0; i < clips; i++)
        {
            data[i] = new float[n];
            for (int t = 0; t < n; t++)
            {
                double s = (double)t / options.SampleRate;
                data[i][t] = (float)(0.5 * Math.Sin(2 * Math.PI * (300 + 13 * i) * s) + 0.1 * Math.Sin(2 * Math.PI * 5000 * s + i));
            }
        }
        using var waves = tensor(data.SelectMany(c => c).ToArray(), [clips, n], float32);
        using var logMel = new LogMelSpectrogram(options);
        using var features = new AudioFeatures(options);

        double checksum = 0, cpuMs = 0;
        var process = Process.GetCurrentProcess();
        double FromTensor()
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            double sum = 0;
            for (int start = 0; start < clips; start += batch)
            {
                using var scope = NewDisposeScope();
                var y = logMel.Compute(waves.narrow(0, start, Math.Min(batch, clips - start)));
                sum += y.sum(ScalarType.Float64).item<double>();
            }
            checksum = sum / ((double)clips * options.NMels * options.Frames);
            double rate = clips / sw.Elapsed.TotalSeconds;
            process.Refresh();
            cpuMs = (process.TotalProcessorTime - cpu0).TotalMilliseconds / clips;
            return rate;
        }
        double FromArrays()
        {
            var sw = Stopwatch.StartNew();
            using var y = features.Compute(data, batch);
            return clips / sw.Elapsed.TotalSeconds;
        }

        FromTensor(); FromArrays();   // warm-up
        var tensorRates = new List<double>();
        var arrayRates = new List<double>();
        var cpu = new List<double>();
        for (int r = 0; r < repeats; r++) { tensorRates.Add(FromTensor()); cpu.Add(cpuMs); arrayRates.Add(FromArrays()); }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv,
            $"clips={clips} batch={batch} threads={threads} frames={options.Frames} from_tensor_clips_s={Median(tensorRates):F1} from_arrays_clips_s={Median(arrayRates):F1} cpu_ms_per_clip={Median(cpu):F3} checksum={checksum:F6}"));
        return 0;
    }

    private static double Median(List<double> v) { v.Sort(); return v[v.Count / 2]; }
}
