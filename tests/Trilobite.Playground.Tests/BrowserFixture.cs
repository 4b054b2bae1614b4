using Microsoft.AspNetCore.Builder;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Trilobite.Playground.Tests;

/// <summary>
/// One real playground server (Kestrel on 127.0.0.1, a free port, LeNet trained for one epoch in the
/// background) and one headless Debian Chromium driven by chromedriver, shared by the end-to-end tests.
/// When the browser or the driver is missing, <see cref="SkipReason"/> says so and the tests skip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public ChromeDriver? Driver { get; private set; }

    public string BaseUrl { get; private set; } = "";

    public string? SkipReason { get; private set; }

    /// <summary>
    /// Where the screenshots go: the repository's docs folder when TRILOBITE_UPDATE_SCREENSHOTS=1
    /// (to refresh the README's pictures), otherwise the test output folder, so a test run leaves the
    /// working tree clean.
    /// </summary>
    public static string DocsDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("TRILOBITE_UPDATE_SCREENSHOTS") != "1")
                return Path.Combine(AppContext.BaseDirectory, "screenshots");
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Trilobite.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? Path.GetTempPath(), "docs");
        }
    }

    public async Task InitializeAsync()
    {
        string? browser = Find("chromium", "chromium-browser", "google-chrome"), driver = Find("chromedriver");
        if (browser == null || driver == null)
        {
            SkipReason = $"End-to-end tests need Chromium and chromedriver on PATH (Debian: apt-get install chromium chromium-driver); missing: {(browser == null ? "chromium " : "")}{(driver == null ? "chromedriver" : "")}.";
            return;
        }
        _app = PlaygroundServer.Build(["--port", "0", "--epochs", "1", "--seed", "1"]);
        await _app.StartAsync();
        BaseUrl = PlaygroundServer.Addresses(_app).First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800",
            "--hide-scrollbars", "--force-device-scale-factor=1", "--no-first-run", "--disable-extensions");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    /// <summary>Sets the page's viewport (CSS pixels); <paramref name="mobile"/> also emulates a phone's touch screen.</summary>
    public void Viewport(int width, int height, bool mobile = false)
    {
        Driver!.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object>
        {
            ["width"] = width,
            ["height"] = height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = mobile,
        });
        Driver.ExecuteCdpCommand("Emulation.setTouchEmulationEnabled", new Dictionary<string, object> { ["enabled"] = mobile, ["maxTouchPoints"] = mobile ? 5 : 1 });
    }

    /// <summary>Saves what the viewport shows to docs/<paramref name="name"/>; with <paramref name="fullPage"/>, the whole page.</summary>
    public string Screenshot(string name, bool fullPage = false)
    {
        Directory.CreateDirectory(DocsDirectory);
        string path = Path.Combine(DocsDirectory, name);
        if (fullPage)
        {
            var result = (Dictionary<string, object>)Driver!.ExecuteCdpCommand("Page.captureScreenshot", new Dictionary<string, object>
            {
                ["format"] = "png",
                ["captureBeyondViewport"] = true,
            });
            File.WriteAllBytes(path, Convert.FromBase64String((string)result["data"]));
        }
        else Driver!.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public async Task DisposeAsync()
    {
        Driver?.Quit();
        Driver?.Dispose();
        if (_app != null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static string? Find(params string[] names)
    {
        foreach (var name in names)
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string path = Path.Combine(dir, name);
                if (File.Exists(path)) return path;
            }
        return null;
    }
}
