using System.Text.Json.Nodes;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Runs.Reports;

/// <summary>
/// The reports of the tasks with a section of their own (text, PDE, games, cluster), opened in
/// headless Chromium: every image decodes, nothing is fetched from the network, the task's
/// section is on the page and visible, and a full-page screenshot is kept for a person to look at.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TaskReportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string> Tasks => new("text", "pde", "games", "cluster");

    private const string Probe = """
        JSON.stringify({
          images: Array.from(document.images).map(i => ({ alt: i.alt, complete: i.complete, width: i.naturalWidth, height: i.naturalHeight })),
          section: (() => { const s = document.getElementById('SECTION'); return s ? { height: s.offsetHeight, text: s.innerText.slice(0, 400) } : null; })(),
          nav: Array.from(document.querySelectorAll('nav a')).map(a => a.getAttribute('href')),
          resources: performance.getEntriesByType('resource').map(e => e.name),
          scripts: document.scripts.length,
          height: document.documentElement.scrollHeight
        })
        """;

    [SkippableTheory]
    [Trait("Category", "browser")]
    [MemberData(nameof(Tasks))]
    public async Task The_task_report_loads_in_headless_chromium_with_its_section_and_every_image_or_says_chromium_is_missing(string task)
    {
        if (!File.Exists(HeadlessChromium.Executable))
        {
            output.WriteLine($"SKIPPED: {HeadlessChromium.Executable} is missing; install it with 'apt-get install -y chromium' (.ci/run does) to run this test.");
            throw new SkipException($"{HeadlessChromium.Executable} is missing; install it with 'apt-get install -y chromium' (.ci/run does)");
        }
        string run = TaskRuns.Train(_tmp, task);
        string report = Path.Combine(run, "report.html");
        int plotFiles = Directory.GetFiles(Path.Combine(run, "plots"), "*.png").Length;
        string id = TaskReportTests.SectionId(task);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var chromium = await HeadlessChromium.StartAsync(ct);
        await using var page = await chromium.OpenPageAsync(ct);
        foreach (var domain in new[] { "Network.enable", "Page.enable", "Runtime.enable" }) await page.SendAsync(domain, null, ct);
        await page.SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(report).AbsoluteUri }, ct);
        await page.WaitForEventAsync("Page.loadEventFired", ct);

        var probe = await page.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = Probe.Replace("SECTION", id), ["returnByValue"] = true }, ct);
        var dom = JsonNode.Parse((string)probe["result"]!["value"]!)!;
        output.WriteLine($"{task}: {dom.ToJsonString()[..Math.Min(1500, dom.ToJsonString().Length)]}");

        var images = dom["images"]!.AsArray();
        Assert.Equal(plotFiles, images.Count);
        Assert.All(images, i => Assert.True((bool)i!["complete"]! && (int)i["width"]! > 0 && (int)i["height"]! > 0, i!.ToJsonString()));
        Assert.True(dom["section"] is JsonObject s && (int)s["height"]! > 100, $"no visible <section id=\"{id}\">");
        Assert.Contains($"#{id}", dom["nav"]!.AsArray().Select(a => (string)a!));
        var requests = page.Events("Network.requestWillBeSent").Select(e => (string)e["request"]!["url"]!).ToList();
        Assert.All(requests, u => Assert.True(u.StartsWith("file:", StringComparison.Ordinal) || u.StartsWith("data:", StringComparison.Ordinal), u));
        Assert.All(dom["resources"]!.AsArray(), r => Assert.StartsWith("data:", (string)r!));
        Assert.Equal(0, (int)dom["scripts"]!);

        int height = Math.Min((int)dom["height"]!, 16000);
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = 1280, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, ct);
        var shot = await page.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, ct);
        string folder = Path.Combine(AppContext.BaseDirectory, "test-output");
        Directory.CreateDirectory(folder);
        string screenshot = Path.Combine(folder, $"report-{task}-screenshot.png");
        File.WriteAllBytes(screenshot, Convert.FromBase64String((string)shot["data"]!));
        var (width, _) = ReportHtml.AssertPng(File.ReadAllBytes(screenshot));
        Assert.InRange(width, 1200, 1280);
        output.WriteLine($"screenshot: {screenshot}");
    }
}
