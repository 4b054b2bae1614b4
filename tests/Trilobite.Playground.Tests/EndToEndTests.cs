using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace Trilobite.Playground.Tests;

/// <summary>
/// The pages in a real headless Chromium against a real server: a "7" drawn with mouse strokes (and
/// with a finger on a phone-sized screen) is recognised, the spiral with r and θ trains, and each page
/// is photographed into docs/ at 1280×800 and 390×844.
/// </summary>
public class EndToEndTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private IWebDriver Driver => browser.Driver!;

    private T Wait<T>(Func<IWebDriver, T> condition, int seconds, string what)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(100), Message = what };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        return wait.Until(condition);
    }

    private string Text(string id) => Driver.FindElement(By.Id(id)).Text;

    private int Epoch() => int.Parse(Text("epoch").Replace(",", ""), CultureInfo.InvariantCulture);

    private double TestLoss() => double.Parse(Text("testLoss"), CultureInfo.InvariantCulture);

    private long PageWidth() => (long)((IJavaScriptExecutor)Driver).ExecuteScript("return document.documentElement.scrollWidth;")!;

    [SkippableFact]
    public void Spiral_with_r_and_theta_trains_and_the_test_loss_falls()
    {
        Skip.If(browser.SkipReason != null, browser.SkipReason);
        browser.Viewport(1280, 800);
        Driver.Navigate().GoToUrl(browser.BaseUrl + "/");
        Wait(d => Text("testLoss") != "–", 20, "the first frame");
        Driver.FindElement(By.CssSelector("[data-dataset=spiral]")).Click();
        Wait(d => d.FindElement(By.CssSelector("[data-dataset=spiral]")).GetAttribute("class")!.Contains("selected"), 10, "spiral selected");
        foreach (var feature in new[] { "r", "theta" })
        {
            Driver.FindElement(By.CssSelector($"[data-feature={feature}]")).Click();
            Wait(d => !d.FindElement(By.CssSelector($"[data-feature={feature}]")).GetAttribute("class")!.Contains("off"), 10, $"feature {feature} on");
        }
        // Two hidden layers of 8 neurons (from the default 4 and 2), with the + buttons.
        for (int layer = 0; layer < 2; layer++)
            for (int units = layer == 0 ? 4 : 2; units < 8; units++)
            {
                Driver.FindElement(By.CssSelector($"button[data-layer='{layer}'][data-delta='1']")).Click();
                int expected = units + 1;
                Wait(d => d.FindElements(By.CssSelector(".layer"))[layer + 1].FindElements(By.CssSelector(".neuron")).Count == expected, 10, $"{expected} neurons in layer {layer + 1}");
            }
        Driver.FindElement(By.Id("showTest")).Click();
        Assert.Equal(0, Epoch());
        double before = TestLoss();
        Driver.FindElement(By.Id("play")).Click();
        Wait(d => Epoch() >= 150, 60, "150 epochs");
        Driver.FindElement(By.Id("play")).Click();
        Wait(d => d.FindElement(By.Id("play")).GetAttribute("aria-label") == "Run", 10, "paused");
        double after = TestLoss();
        output.WriteLine($"spiral with x1, x2, r, θ (hidden 8, 8; tanh; lr 0.03): test loss {before:F3} at epoch 0 → {after:F3} at epoch {Epoch()}");
        Assert.True(after < before * 0.6, $"test loss {before} → {after}");
        Thread.Sleep(300);                                                  // let the last frame paint
        browser.Screenshot("playground.png");

        browser.Viewport(390, 844, mobile: true);
        Driver.Navigate().Refresh();
        Wait(d => Text("testLoss") != "–", 20, "the first frame on a phone");
        Assert.Equal(after.ToString("F3", CultureInfo.InvariantCulture), Text("testLoss"));   // a reload keeps the tab's session
        Assert.True(PageWidth() <= 390, $"the phone page is {PageWidth()} px wide");
        Assert.True(Driver.FindElement(By.Id("play")).Displayed && Driver.FindElement(By.Id("boundary")).Displayed);
        browser.Screenshot("playground-phone.png", fullPage: true);
    }

    [SkippableFact]
    public void A_seven_drawn_with_the_mouse_is_recognised_and_the_network_shows_what_it_sees()
    {
        Skip.If(browser.SkipReason != null, browser.SkipReason);
        browser.Viewport(1280, 800);
        Driver.Navigate().GoToUrl(browser.BaseUrl + "/draw.html");
        var status = Driver.FindElement(By.Id("status"));
        Wait(d => status.GetAttribute("data-state") is "training" or "ready", 20, "the classifier's status");
        output.WriteLine($"status while loading: {status.Text}");
        Wait(d => status.GetAttribute("data-state") == "ready", 150, "the start-up training");
        output.WriteLine(status.Text);

        var pad = Driver.FindElement(By.Id("pad"));
        // A "7": the bar from left to right, then the stem down to the lower left (offsets from the pad's centre).
        new Actions(Driver)
            .MoveToElement(pad, -70, -80).ClickAndHold()
            .MoveByOffset(35, 0).MoveByOffset(35, 0).MoveByOffset(35, 0).MoveByOffset(35, 0)
            .MoveByOffset(-12, 30).MoveByOffset(-12, 30).MoveByOffset(-12, 30).MoveByOffset(-12, 30).MoveByOffset(-12, 30)
            .Release().Perform();
        var ranking = TopTwo();
        output.WriteLine($"mouse-drawn 7 → ranking {string.Join(",", ranking)}; {Text("guess")}");
        Assert.Contains(7, ranking);
        Wait(d => d.FindElements(By.CssSelector("#filters canvas")).Count == 32, 10, "the first layer's filters");
        Assert.Equal(2, Driver.FindElements(By.CssSelector("#activations .maps-layer")).Count);
        Assert.Equal(32 + 64, Driver.FindElements(By.CssSelector("#activations canvas")).Count);
        Assert.Contains("7", Text("camClass"));
        browser.Screenshot("draw-digit.png");
        browser.Screenshot("network-sees.png", fullPage: true);

        // A phone: the same digit drawn with a finger (touch pointer events).
        browser.Viewport(390, 844, mobile: true);
        Driver.Navigate().Refresh();
        Wait(d => d.FindElement(By.Id("status")).GetAttribute("data-state") == "ready", 20, "ready on a phone");
        Assert.True(PageWidth() <= 390, $"the phone page is {PageWidth()} px wide");
        pad = Driver.FindElement(By.Id("pad"));
        var finger = new PointerInputDevice(PointerKind.Touch, "finger");
        var stroke = new ActionSequence(finger);
        stroke.AddAction(finger.CreatePointerMove(pad, -70, -80, TimeSpan.Zero));
        stroke.AddAction(finger.CreatePointerDown(MouseButton.Touch));
        foreach (var (dx, dy) in new[] { (35, 0), (35, 0), (35, 0), (35, 0), (-12, 30), (-12, 30), (-12, 30), (-12, 30), (-12, 30) })
            stroke.AddAction(finger.CreatePointerMove(CoordinateOrigin.Pointer, dx, dy, TimeSpan.FromMilliseconds(40)));
        stroke.AddAction(finger.CreatePointerUp(MouseButton.Touch));
        ((IActionExecutor)Driver).PerformActions([stroke]);
        ranking = TopTwo();
        output.WriteLine($"finger-drawn 7 on a phone → ranking {string.Join(",", ranking)}");
        Assert.Contains(7, ranking);
        Wait(d => d.FindElements(By.CssSelector("#filters canvas")).Count == 32, 10, "filters on a phone");
        browser.Screenshot("draw-digit-phone.png", fullPage: true);
    }

    private int[] TopTwo()
    {
        string ranking = Wait(d => d.FindElement(By.Id("bars")).GetAttribute("data-ranking") is { Length: > 0 } r ? r : null, 15, "a prediction")!;
        Wait(d => d.FindElements(By.CssSelector("#filters canvas")).Count > 0, 15, "the insight after pen-up");
        ranking = Driver.FindElement(By.Id("bars")).GetAttribute("data-ranking")!;
        return ranking.Split(',').Take(2).Select(int.Parse).ToArray();
    }
}
