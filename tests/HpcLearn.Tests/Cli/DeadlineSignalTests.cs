using System.Diagnostics;
using HpcLearn.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary>
/// Real signals to a real <c>hpclearn train</c> process: the handler registered with
/// PosixSignalRegistration (USR1 as raw signal 10) stops training after the current batch, a
/// mid-epoch checkpoint is written, and the process exits with code 3 instead of dying.
/// </summary>
public sealed class DeadlineSignalTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("USR1")]
    [InlineData("TERM")]
    public void A_signal_mid_training_leaves_a_mid_epoch_checkpoint_and_exit_code_3(string signal)
    {
        // 2000 batches per epoch: the signal lands inside an epoch, not at its end.
        var config = _tmp.Write("s.yaml", Cli.TinyYaml("s", epochs: 200, data: "{builtin_rows: 20000}").Replace("{epochs: 200}", "{epochs: 200, batch_size: 8}"));
        using var p = CliProcess.Start("train", config, "--out", _tmp["runs"], "--threads", "1");
        Assert.True(p.WaitUntil(() => p.Output.Contains("epoch 1/200"), TimeSpan.FromSeconds(90)), p.Output);

        p.Signal(signal);
        int code = p.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(code == CliApp.Stopped, $"exit {code}\n{p.Output}");
        Assert.Contains($"stopped: signal {signal} received", p.Output);
        Assert.Contains($"resume with: hpclearn train {config} --resume --out {_tmp["runs"]}", p.Output);
        var newest = new CheckpointStore(_tmp["runs/s/checkpoints"]).Latest()!;
        Assert.True(newest.Epoch >= 1 && newest.Batch > 0, $"not a mid-epoch checkpoint: {newest.Path}");
        Assert.True(CheckpointStore.TryRead(newest.Path, out var meta, out _, out _, out var why), why);
        Assert.Equal(newest.Batch, meta!.Progress!.Batches);
        // Not finished, but usable: the last weights as a model, summary.json saying it was interrupted.
        HpcLearn.Tests.Runs.StoppedRun.AssertUsableModel(_tmp["runs/s"], "tabular", $"signal {signal} received");
    }

    [Fact]
    public void A_usr1_as_soon_as_the_process_catches_it_stops_with_exit_code_3_not_a_kill()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc
        // The process catches USR1 from its first line on (Program.cs), long before training listens:
        // send it the moment /proc says it is caught, as Slurm may right after the job starts.
        var config = _tmp.Write("early.yaml", Cli.TinyYaml("early", epochs: 3));
        using var p = CliProcess.Start("train", config, "--out", _tmp["runs"], "--threads", "1");
        Assert.True(p.WaitUntil(() => Catches(p.Pid, 10), TimeSpan.FromSeconds(60)), p.Output);
        string before = p.Output;

        p.Signal("USR1");
        int code = p.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(code == CliApp.Stopped, $"exit {code}; printed before the signal:\n{before}\nafter:\n{p.Output}");
        Assert.Contains("stopped: signal USR1 received", p.Output);
    }

    [Fact]
    public void The_TERM_of_a_requeue_after_the_stop_does_not_change_exit_code_3()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A fake scontrol that does what Slurm does to a job it requeues: TERM to the job's processes,
        // here again and again until hpclearn has gone, so some arrive while it shuts down.
        string bin = Directory.CreateDirectory(_tmp["bin"]).FullName;
        File.WriteAllText(Path.Combine(bin, "scontrol"),
            "#!/bin/bash\n( while kill -TERM \"$PPID\" 2>/dev/null; do sleep 0.02; done ) >/dev/null 2>&1 &\nexit 0\n");
        File.SetUnixFileMode(Path.Combine(bin, "scontrol"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = _tmp.Write("rq.yaml", Cli.TinyYaml("rq", epochs: 3));
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["SLURM_JOB_ID"] = "77",
            // Ends in 60 s, inside the 120 s margin: the deadline stops training at its first batch.
            ["SLURM_JOB_END_TIME"] = DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var p = CliProcess.StartWith(env, "train", config, "--out", _tmp["runs"], "--threads", "1");
        int code = p.WaitForExit(TimeSpan.FromSeconds(90));

        Assert.Contains("requeued job 77", p.Output);
        Assert.True(code == CliApp.Stopped, $"exit {code}\n{p.Output}");
    }

    // Whether process pid has a handler for signal number signo (the SigCgt mask of /proc/PID/status).
    private static bool Catches(int pid, int signo)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigCgt:", StringComparison.Ordinal));
            return line is not null && (Convert.ToUInt64(line["SigCgt:".Length..].Trim(), 16) >> (signo - 1) & 1) == 1;
        }
        catch (IOException) { return false; }
    }

    [Fact]
    public void A_TERM_while_the_data_loads_stops_within_seconds_with_exit_code_3_and_nothing_written()
    {
        if (!OperatingSystem.IsLinux()) return; // mkfifo
        // An endless table through a FIFO: the load never ends by itself, so only the signal can end it.
        string fifo = _tmp["endless.tsv"];
        using (var mk = Process.Start("mkfifo", [fifo])!)
        {
            mk.WaitForExit();
            Assert.Equal(0, mk.ExitCode);
        }
        var config = _tmp.Write("load.yaml", Cli.TinyYaml("load", data: $"{{path: '{fifo}', target: y}}"));
        using var p = CliProcess.Start("train", config, "--out", _tmp["runs"], "--threads", "1");
        long rows = 0;
        var writer = new Thread(() =>
        {
            try
            {
                using var w = new StreamWriter(new FileStream(fifo, FileMode.Open, FileAccess.Write)); // waits for hpclearn to open it
                w.Write("a\tb\ty\n");
                for (long i = 0; ; i++)
                {
                    w.Write($"{i}\t{i % 7}\t{(i % 2 == 0 ? "p" : "q")}\n");
                    Interlocked.Exchange(ref rows, i);
                }
            }
            catch (IOException)
            {
                // hpclearn closed its end: the test is over.
            }
        }) { IsBackground = true };
        writer.Start();
        // 200,000 rows through a 64 KiB pipe: hpclearn is well into the load, its handlers long installed.
        Assert.True(p.WaitUntil(() => Interlocked.Read(ref rows) > 200_000, TimeSpan.FromSeconds(120)), p.Output);

        p.Signal("TERM");
        int code = p.WaitForExit(TimeSpan.FromSeconds(30)); // before the fix it ignored TERM until the load ended: never, here

        Assert.True(code == CliApp.Stopped, $"exit {code}\n{p.Output}");
        Assert.Contains("stopped: signal TERM received before training began (while loading the data); nothing was written: run the same command again", p.Output);
        Assert.DoesNotContain("   at ", p.Output);
        Assert.False(Directory.Exists(_tmp["runs"]), "nothing may be written before training begins");
    }
}
