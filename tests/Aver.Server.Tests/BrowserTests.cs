using System.Text.Json;
using Aver.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Aver.Server.Tests;

/// <summary>The page at / in a real browser against a real (Kestrel, loopback) server.</summary>
[Collection(ServerCollection.Name)]
public class BrowserTests
{
    /// <summary>A real server on a free loopback port around the shared model, its uploads in a folder of its own.</summary>
    private static async Task<(WebApplication App, Uri Url, string Temp)> StartServerAsync()
    {
        var temp = Directory.CreateTempSubdirectory("aver-serve-browser-").FullName;
        var app = AverServer.Build(new ServerOptions { Port = 0, Workers = 1, TempRoot = temp }, AverApi.Model.Value, Inference.ModelLoader.FindDefault(), TextWriter.Null);
        await app.StartAsync();
        return (app, AverServer.Address(app), temp);
    }

    /// <summary>
    /// Debian's chromium, headless; <paramref name="fakeMedia"/> gives it a generated camera and microphone and grants them,
    /// playing <paramref name="fakeFiles"/> (a .y4m picture and a .wav sound, looped) when given.
    /// </summary>
    private static Task<IBrowser> LaunchAsync(IPlaywright playwright, bool fakeMedia = false, (string Video, string Audio)? fakeFiles = null) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Requirements.Chromium, Headless = true,
            // Root in a container: no sandbox, small /dev/shm.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    .. fakeMedia ? new[] { "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream" } : [],
                    .. fakeFiles is { } f ? new[] { $"--use-file-for-fake-video-capture={f.Video}", $"--use-file-for-fake-audio-capture={f.Audio}" } : []],
        });

    [FactRequires(Need.Chromium | Need.BlazeFace | Need.SharedData)]
    public async Task Live_streams_the_camera_and_microphone_and_draws_each_window_as_it_is_answered()
    {
        var (app, url, temp) = await StartServerAsync();
        try
        {
            // Chromium's camera and microphone play a RAVDESS clip (a speaking face) in a loop.
            var video = Path.Combine(temp, "face.y4m");
            var audio = Path.Combine(temp, "voice.wav");
            TestFfmpeg.Run("-i", Clips.SharedVideo, "-vf", "scale=640:360", "-pix_fmt", "yuv420p", "-an", video);
            TestFfmpeg.Run("-i", Clips.SharedVideo, "-vn", "-ac", "1", "-ar", "48000", audio);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright, fakeMedia: true, fakeFiles: (video, audio));
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1100 } });
            await page.GotoAsync(url.ToString());
            await page.ClickAsync("#live-start");
            // Answers arrive while the recording goes on: three windows drawn before it is stopped.
            await page.WaitForFunctionAsync("() => Number(document.querySelector('#live-label').dataset.windows || 0) >= 3", null, new() { Timeout = 60_000 });
            Assert.True(await page.Locator("#live-timeline svg rect.mark").CountAsync() >= 3);
            Assert.Matches(@"^\w+ \(\d+%\)$", await page.InnerTextAsync("#live-label"));
            Assert.Matches(@"s behind$", await page.InnerTextAsync("#live-time"));
            await page.ClickAsync("#live-stop");
            await page.WaitForSelectorAsync("#result:not([hidden]), #error:not([hidden])", new() { Timeout = 60_000 });
            Assert.True(await page.IsHiddenAsync("#error"), "the live stream failed: " + await page.InnerTextAsync("#error"));
            Assert.Equal("live", await page.InnerTextAsync("#file-name"));
            Assert.Matches(@"^audio: \w+ \(\d+%\), weight [\d.]+, \d+ segments$", await page.InnerTextAsync("#branches li[data-branch=audio]"));
            Assert.Matches(@"^visual: \w+ \(\d+%\), weight [\d.]+, \d+ face frames$", await page.InnerTextAsync("#branches li[data-branch=visual]"));
            Assert.True(await page.Locator("#timeline svg rect.mark").CountAsync() >= 3);
            await page.ScreenshotAsync(new() { Path = Path.Combine(TestPaths.RepoRoot, "TestResults", "aver-serve-live.png"), FullPage = true });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(temp, recursive: true);
        }
    }

    [FactRequires(Need.Chromium | Need.BlazeFace | Need.SharedData)]
    public async Task The_page_uploads_a_clip_and_shows_its_label_probabilities_and_timeline()
    {
        var (app, url, temp) = await StartServerAsync();
        try
        {
            // The JSON the page is drawn from, asked directly, to check what the page shows.
            using var http = new HttpClient { BaseAddress = url };
            var direct = await Upload.Multipart(http, File.ReadAllBytes(Clips.SharedVideo), Path.GetFileName(Clips.SharedVideo));
            var clip = direct.Clip;

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright);
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1100 } });
            await page.GotoAsync(url.ToString());
            await page.SetInputFilesAsync("#file", Clips.SharedVideo);
            await page.WaitForSelectorAsync("#result:not([hidden])", new() { Timeout = 60_000 });

            Assert.Equal(clip.GetProperty("label").GetString(), await page.InnerTextAsync("#label"));
            var bars = await page.EvalOnSelectorAllAsync<Dictionary<string, double>[]>(".bar",
                "rows => rows.map(r => ({ [r.dataset.label]: Number(r.dataset.value) }))");
            var shown = bars.SelectMany(b => b).ToDictionary(kv => kv.Key, kv => kv.Value);
            var expected = clip.GetProperty("probabilities").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            Assert.Equal(expected.Keys.Order(), shown.Keys.Order());
            foreach (var (label, p) in expected) Assert.Equal(p, shown[label], 4);
            Assert.Equal(1.0, shown.Values.Sum(), 2);

            int windows = clip.GetProperty("timeline").GetArrayLength();
            Assert.True(windows >= 2, $"a 3-s clip should have several timeline windows, got {windows}");
            Assert.Equal(windows, await page.Locator("#timeline svg rect.mark").CountAsync());
            Assert.Equal(2, await page.Locator("#branches li").CountAsync());
            Assert.True(await page.IsHiddenAsync("#error"));

            var screenshot = Path.Combine(TestPaths.RepoRoot, "TestResults", "aver-serve-page.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            Assert.True(new FileInfo(screenshot).Length > 10_000);

            // A file the server refuses: the page shows the server's message.
            var notes = Path.Combine(temp, "notes.mp4");
            await File.WriteAllTextAsync(notes, "not a video");
            await page.SetInputFilesAsync("#file", notes);
            await page.WaitForSelectorAsync("#error:not([hidden])", new() { Timeout = 30_000 });
            Assert.StartsWith("notes.mp4: not a media file", await page.InnerTextAsync("#error"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(temp, recursive: true);
        }
    }

    [FactRequires(Need.Chromium | Need.BlazeFace | Need.SharedData)]
    public async Task A_recording_from_the_camera_and_microphone_is_sent_and_answered()
    {
        var (app, url, temp) = await StartServerAsync();
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright, fakeMedia: true);
            var page = await browser.NewPageAsync();
            await page.GotoAsync(url.ToString());
            await page.ClickAsync("#start");
            await page.WaitForSelectorAsync("#stop:not([disabled])");
            await Task.Delay(TimeSpan.FromSeconds(3));   // Chromium's fake devices: a moving test card and a beep every second
            await page.ClickAsync("#stop");
            await page.WaitForSelectorAsync("#result:not([hidden]), #error:not([hidden])", new() { Timeout = 60_000 });

            Assert.True(await page.IsHiddenAsync("#error"), "the server refused the recording: " + await page.InnerTextAsync("#error"));
            Assert.Equal("recording.webm", await page.InnerTextAsync("#file-name"));
            Assert.False(string.IsNullOrEmpty(await page.InnerTextAsync("#label")));
            // Both streams arrived (webm from MediaRecorder, recognised by probing): the beep answers, and the test card
            // is looked at (BlazeFace may or may not take its drawing for a face; either way the visual branch reports).
            Assert.Equal(2, await page.Locator("#branches li").CountAsync());
            Assert.Matches(@"^audio: \w+ \(\d+%\), weight [\d.]+, \d+ segments$", await page.InnerTextAsync("#branches li[data-branch=audio]"));
            Assert.StartsWith("visual: ", await page.InnerTextAsync("#branches li[data-branch=visual]"));
            Assert.True(await page.Locator("#timeline svg rect.mark").CountAsync() >= 2);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(temp, recursive: true);
        }
    }
}
