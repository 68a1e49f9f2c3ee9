using System.Diagnostics;
using System.Net.Http;
using System.Text.Json.Nodes;

namespace HpcLearn.Tests.Runs.Reports;

/// <summary>
/// Debian's chromium started headless with the DevTools protocol on a free local port; name
/// resolution is mapped to nothing, so a page that tried to reach the network could not.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly List<string> _stderr = [];

    private HeadlessChromium(Process process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The DevTools HTTP endpoint, e.g. http://127.0.0.1:41234.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>What chromium printed on stderr, for a failure message.</summary>
    public string Stderr { get { lock (_stderr) return string.Join('\n', _stderr); } }

    public static async Task<HeadlessChromium> StartAsync(CancellationToken ct)
    {
        var profile = Directory.CreateTempSubdirectory("hpclearn-chromium-");
        var psi = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-extensions", "--disable-default-apps", "--mute-audio",
            $"--user-data-dir={profile.FullName}", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,2000", "about:blank",
        }) psi.ArgumentList.Add(arg);

        var chromium = new HeadlessChromium(Process.Start(psi)!, profile);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        chromium._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { listening.TrySetException(new InvalidOperationException("chromium exited before DevTools listened:\n" + chromium.Stderr)); return; }
            lock (chromium._stderr) chromium._stderr.Add(e.Data);
            const string marker = "DevTools listening on ";
            int at = e.Data.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) listening.TrySetResult(new Uri(e.Data[(at + marker.Length)..].Trim()));
        };
        chromium._process.OutputDataReceived += (_, _) => { };
        chromium._process.BeginErrorReadLine();
        chromium._process.BeginOutputReadLine();
        var ws = await listening.Task.WaitAsync(ct);
        chromium.Endpoint = new Uri($"http://{ws.Host}:{ws.Port}");
        return chromium;
    }

    /// <summary>Connects to the page that chromium opened at start (about:blank).</summary>
    public async Task<DevToolsSession> OpenPageAsync(CancellationToken ct)
    {
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync(new Uri(Endpoint, "/json/list"), ct))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        return await DevToolsSession.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { }
        _process.Dispose();
        try { _profile.Delete(recursive: true); }
        catch (IOException) { } // chromium may still hold a file for a moment; a leftover temp folder is harmless
    }
}
