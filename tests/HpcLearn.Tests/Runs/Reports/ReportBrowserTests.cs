using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Runs.Reports;

/// <summary>
/// End to end: a real (tiny) training run writes report.html, which headless Chromium opens
/// through the DevTools protocol. CI installs chromium (.ci/run); without it the test says so.
/// </summary>
public class ReportBrowserTests(ITestOutputHelper output)
{
    /// <summary>Lists every image, the metric rows and the resources the page loaded.</summary>
    private const string Probe = """
        JSON.stringify({
          images: Array.from(document.images).map(i => ({ alt: i.alt, complete: i.complete, width: i.naturalWidth, height: i.naturalHeight })),
          rows: Array.from(document.querySelectorAll('#metrics tr[data-metric]')).map(tr => ({
            metric: tr.dataset.metric,
            cells: Array.from(tr.querySelectorAll('td[data-value]')).map(td => ({ value: td.dataset.value, text: td.textContent })) })),
          resources: performance.getEntriesByType('resource').map(e => e.name),
          scripts: document.scripts.length,
          height: document.documentElement.scrollHeight
        })
        """;

    [SkippableFact]
    [Trait("Category", "browser")]
    public async Task Report_loads_in_headless_chromium_with_every_image_no_network_request_and_the_summary_numbers_or_says_chromium_is_missing()
    {
        if (!File.Exists(HeadlessChromium.Executable))
        {
            output.WriteLine($"SKIPPED: {HeadlessChromium.Executable} is missing; install it with 'apt-get install -y chromium' (.ci/run does) to run this test.");
            throw new SkipException($"{HeadlessChromium.Executable} is missing; install it with 'apt-get install -y chromium' (.ci/run does)");
        }
        using var root = new TempFolder();
        var run = new TabularTask().Train(
            new TabularConfig { Name = "browser", Data = new() { BuiltinRows = 400 }, Train = new() { Epochs = 3 } },
            new RunContext { RunsRoot = root.Path, Out = TextWriter.Null, TensorBoard = false });
        string report = Path.Combine(run.Folder.Root, "report.html");
        Assert.True(File.Exists(report), "training did not write report.html");
        int plotFiles = Directory.GetFiles(Path.Combine(run.Folder.Root, "plots"), "*.png").Length;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var chromium = await HeadlessChromium.StartAsync(ct);
        await using var page = await chromium.OpenPageAsync(ct);
        foreach (var domain in new[] { "Network.enable", "Page.enable", "Log.enable", "Runtime.enable" }) await page.SendAsync(domain, null, ct);
        await page.SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(report).AbsoluteUri }, ct);
        await page.WaitForEventAsync("Page.loadEventFired", ct);

        var probe = await page.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = Probe, ["returnByValue"] = true }, ct);
        var dom = JsonNode.Parse((string)probe["result"]!["value"]!)!;
        output.WriteLine($"page: {dom.ToJsonString()[..Math.Min(2000, dom.ToJsonString().Length)]}");

        // Every image decoded, one per plot file.
        var images = dom["images"]!.AsArray();
        Assert.Equal(plotFiles, images.Count);
        Assert.All(images, i => Assert.True((bool)i!["complete"]! && (int)i["width"]! > 0 && (int)i["height"]! > 0, i!.ToJsonString()));

        // No request left the machine: only the file itself (and inline data: images) were fetched.
        var requests = page.Events("Network.requestWillBeSent").Select(e => (string)e["request"]!["url"]!).ToList();
        output.WriteLine($"requests: {string.Join(", ", requests.Select(u => u[..Math.Min(60, u.Length)]))}");
        Assert.All(requests, u => Assert.True(u.StartsWith("file:", StringComparison.Ordinal) || u.StartsWith("data:", StringComparison.Ordinal), u));
        Assert.Contains(requests, u => u.StartsWith("file:", StringComparison.Ordinal));
        Assert.All(dom["resources"]!.AsArray(), r => Assert.StartsWith("data:", (string)r!));
        Assert.Empty(page.Events("Network.loadingFailed"));
        Assert.Equal(0, (int)dom["scripts"]!);

        // The metric table shows summary.json's numbers, model and baseline.
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Folder.Root, "summary.json")));
        var rows = dom["rows"]!.AsArray().ToDictionary(r => (string)r!["metric"]!, r => r!["cells"]!.AsArray());
        Assert.Equal(["accuracy", "macro_f1", "log_loss", "ece", "ece_calibrated", "temperature", "log_loss_calibrated"], rows.Keys);
        foreach (var (metric, cells) in rows)
        {
            double model = summary.RootElement.GetProperty(metric).GetDouble();
            Assert.Equal(model, double.Parse((string)cells[0]!["value"]!, CultureInfo.InvariantCulture));
            if (!summary.RootElement.GetProperty("baseline").TryGetProperty(metric, out var b)) continue; // calibration figures have no baseline
            double baseline = b.GetDouble();
            Assert.Equal(model, double.Parse((string)cells[0]!["value"]!, CultureInfo.InvariantCulture));
            Assert.Equal(model.ToString("F4", CultureInfo.InvariantCulture), (string)cells[0]!["text"]!);
            Assert.Equal(baseline, double.Parse((string)cells[1]!["value"]!, CultureInfo.InvariantCulture));
            Assert.Equal(baseline.ToString("F4", CultureInfo.InvariantCulture), (string)cells[1]!["text"]!);
        }

        // A screenshot of the whole page, 1280 pixels wide, for a person to look at.
        int height = Math.Min((int)dom["height"]!, 16000);
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = 1280, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, ct);
        var shot = await page.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, ct);
        string folder = Path.Combine(AppContext.BaseDirectory, "test-output");
        Directory.CreateDirectory(folder);
        string screenshot = Path.Combine(folder, "report-screenshot.png");
        File.WriteAllBytes(screenshot, Convert.FromBase64String((string)shot["data"]!));
        var (width, _) = ReportHtml.AssertPng(File.ReadAllBytes(screenshot));
        Assert.InRange(width, 1200, 1280); // the vertical scrollbar may take its share
        output.WriteLine($"screenshot: {screenshot}");
    }
}
