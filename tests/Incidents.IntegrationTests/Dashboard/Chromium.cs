using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Incidents.IntegrationTests.Dashboard;

/// <summary>
/// Headless Chromium driven over WebDriver by the distribution's chromedriver (Debian: <c>chromium</c> and
/// <c>chromium-driver</c>), with a fresh profile that is deleted afterwards. Nothing is downloaded: when the
/// browser or the driver is missing the test fails and says what to install.
/// </summary>
internal sealed class Chromium : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _profile;

    private Chromium(ChromeDriver driver, DirectoryInfo profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    public static Chromium Start()
    {
        var binary = Environment.GetEnvironmentVariable("INCIDENTS_CHROMIUM") is { Length: > 0 } b ? b : "/usr/bin/chromium";
        var driverPath = Environment.GetEnvironmentVariable("INCIDENTS_CHROMEDRIVER") is { Length: > 0 } d ? d : "/usr/bin/chromedriver";
        foreach (var (path, what) in new[] { (binary, "Chromium"), (driverPath, "chromedriver") })
        {
            if (!File.Exists(path))
            {
                Assert.Fail($"The dashboard test needs {what} at {path}, which is missing. Install it with "
                    + "`apt-get install -y chromium chromium-driver` (.ci/run does), or point INCIDENTS_CHROMIUM / INCIDENTS_CHROMEDRIVER at it.");
            }
        }
        var profile = Directory.CreateTempSubdirectory("incidents-chromium-");
        var options = new ChromeOptions { BinaryLocation = binary };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000", $"--user-data-dir={profile.FullName}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        try
        {
            return new Chromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile);
        }
        catch
        {
            service.Dispose();
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> returns an element (not null), at most <see cref="Patience"/>.</summary>
    public T Until<T>(Func<IWebDriver, T?> condition, string what) where T : class =>
        (T)Wait(condition, what)!;

    /// <summary>Waits until <paramref name="condition"/> holds, at most <see cref="Patience"/>.</summary>
    public void Until(Func<IWebDriver, bool> condition, string what) =>
        Wait(d => condition(d) ? (object)true : null, what);

    private object? Wait(Func<IWebDriver, object?> condition, string what)
    {
        var wait = new WebDriverWait(Driver, Patience) { Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException e)
        {
            var page = Driver.FindElements(By.TagName("body")).FirstOrDefault()?.Text ?? "";
            throw new TimeoutException($"{what} — not within {Patience.TotalSeconds} s. Page at {Driver.Url}:\n{page}\nConsole:\n{string.Join('\n', ConsoleLines())}", e);
        }
    }

    public IEnumerable<string> ConsoleLines() => Driver.Manage().Logs.GetLog(LogType.Browser).Select(l => $"{l.Level} {l.Message}");

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    /// <summary>A PNG of the whole page (the window grows to the page's height first).</summary>
    public void ScreenshotTo(string path)
    {
        var height = Convert.ToInt32(Script("return Math.ceil(document.documentElement.scrollHeight);"), System.Globalization.CultureInfo.InvariantCulture);
        Driver.Manage().Window.Size = new Size(1400, Math.Clamp(height + 40, 600, 6000));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Driver.GetScreenshot().SaveAsFile(path);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _profile.Refresh();
        if (_profile.Exists)
        {
            _profile.Delete(recursive: true);
        }
    }
}
