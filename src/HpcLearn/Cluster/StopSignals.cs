using System.Runtime.InteropServices;

namespace HpcLearn.Cluster;

/// <summary>
/// Listens for the signals that ask a run to checkpoint and stop (USR1 from Slurm's
/// <c>--signal</c>, TERM from scancel or the time limit, ...). A signal only sets a flag that the
/// training loop reads between batches: nothing else happens inside the handler, and the
/// signal's default action (terminating the process) is cancelled.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = new();
    private readonly CancellationTokenSource _cancel = new();
    private volatile string? _received;

    private StopSignals() { }

    /// <summary>The first signal received (upper case, e.g. <c>USR1</c>), or null.</summary>
    public string? Received => _received;

    /// <summary>
    /// Cancelled when the first signal arrives, for work that runs before the training loop
    /// polls <see cref="Received"/> (loading a large data file): it ends early instead of holding
    /// the signal for minutes.
    /// </summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The signals listened for, upper case.</summary>
    public IReadOnlyList<string> Names => _names;

    private readonly List<string> _names = new();

    /// <summary>
    /// Registers handlers for <paramref name="names"/> (<c>usr1</c>, <c>term</c>, ...; see
    /// <see cref="Config.ClusterOptions.KnownSignals"/>). On Windows, or for a signal the platform does
    /// not support, that signal is left out; <see cref="Names"/> says which are active.
    /// </summary>
    public static StopSignals Listen(IEnumerable<string> names)
    {
        var signals = new StopSignals();
        foreach (var name in names.Select(n => n.Trim().ToUpperInvariant()).Distinct())
        {
            if (ToPosix(name) is not { } signal) continue;
            try
            {
                signals._registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
                {
                    ctx.Cancel = true;
                    signals.Raise(name);
                }));
                signals._names.Add(name);
            }
            catch (Exception e) when (e is PlatformNotSupportedException or IOException or ArgumentOutOfRangeException)
            {
                // Not available here (e.g. USR1 on Windows): the other signals still work.
            }
        }
        return signals;
    }

    private static StopSignals? _fromStart;

    /// <summary>
    /// Listens for <paramref name="names"/> from the process's first line on, for the whole life of
    /// the process (the CLI does this for <c>train</c>, before the config is read). A signal that
    /// arrives before training listens (Slurm's USR1 to a job that has just started) is kept for
    /// <see cref="TakeFromStart"/> instead of killing the process; and one that arrives after
    /// training has stopped (the TERM Slurm sends to the job it requeues) no longer ends the process
    /// with the signal's exit code (143) instead of the documented 3.
    /// </summary>
    public static void ListenFromStart(IEnumerable<string> names) => _fromStart ??= Listen(names);

    /// <summary>
    /// Narrows the start-up listener (<see cref="ListenFromStart"/>) to <paramref name="names"/>, the
    /// config's <c>cluster.signals</c>: the other signals get their default action back. Returns the
    /// first signal it received, or null (also when there is no start-up listener).
    /// </summary>
    public static string? TakeFromStart(IReadOnlyCollection<string> names)
    {
        var s = _fromStart;
        if (s is null) return null;
        lock (s._registrations)
        {
            for (int i = s._names.Count - 1; i >= 0; i--)
            {
                if (names.Contains(s._names[i], StringComparer.OrdinalIgnoreCase)) continue;
                s._registrations[i].Dispose();
                s._registrations.RemoveAt(i);
                s._names.RemoveAt(i);
            }
        }
        return s.Received;
    }

    /// <summary>The Linux number of a signal name (<c>TERM</c> 15, <c>USR1</c> 10, ...), for exit codes 128 + n; 0 when unknown.</summary>
    public static int Number(string name) => name.Trim().ToUpperInvariant() switch
    {
        "HUP" => 1, "INT" => 2, "QUIT" => 3, "USR1" => 10, "USR2" => 12, "TERM" => 15, _ => 0,
    };

    /// <summary>A source with no handlers: only <see cref="Raise"/> sets it (tests, embedding).</summary>
    public static StopSignals None() => new();

    /// <summary>Records <paramref name="name"/> as received (the first one wins).</summary>
    public void Raise(string name)
    {
        if (Interlocked.CompareExchange(ref _received, name.ToUpperInvariant(), null) is not null) return;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A signal after Dispose: nobody is listening any more.
        }
    }

    /// <summary>Unregisters the handlers, restoring the default actions.</summary>
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _registrations.Clear();
        _cancel.Dispose();
    }

    /// <summary>
    /// The signal for a name. Linux numbers for USR1 (10) and USR2 (12) are passed raw, which
    /// <see cref="PosixSignalRegistration"/> allows on Unix; the others have named values.
    /// </summary>
    public static PosixSignal? ToPosix(string name) => name.Trim().ToUpperInvariant() switch
    {
        "TERM" => PosixSignal.SIGTERM,
        "INT" => PosixSignal.SIGINT,
        "HUP" => PosixSignal.SIGHUP,
        "QUIT" => PosixSignal.SIGQUIT,
        "USR1" when OperatingSystem.IsLinux() => (PosixSignal)10,
        "USR2" when OperatingSystem.IsLinux() => (PosixSignal)12,
        "USR1" when OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() => (PosixSignal)30,
        "USR2" when OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() => (PosixSignal)31,
        _ => null,
    };
}
