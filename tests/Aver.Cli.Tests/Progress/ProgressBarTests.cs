using Aver.Cli.Progress;
using Aver.Training.Training;
using Xunit;

namespace Aver.Cli.Tests.Progress;

public class ProgressBarTests
{
    [Fact]
    public void Redirected_output_gets_at_most_one_line_per_tenth_and_the_summary()
    {
        var w = new StringWriter();
        var bar = new ProgressBar(w, "clips", 95, interactive: false);
        for (int i = 1; i <= 95; i++) bar.Report(i);
        bar.Complete("95 clips done");
        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 9, 11);
        Assert.DoesNotContain('\r', w.ToString());
        Assert.Equal("95 clips done", lines[^1].TrimEnd());
        Assert.Contains("ETA", lines[0]);
    }

    [Fact]
    public void Terminal_output_redraws_one_line_in_place()
    {
        var w = new StringWriter();
        var bar = new ProgressBar(w, "epoch 1/3", 4, interactive: true);
        bar.Report(4, "loss 0.5");
        Assert.StartsWith("\r", w.ToString());
        Assert.Contains("[########################] 4/4", w.ToString());
        Assert.Contains("loss 0.5", w.ToString());
        bar.Complete("epoch line");
        Assert.EndsWith("epoch line" + Environment.NewLine, w.ToString());
        Assert.Single(w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Render_shows_the_filled_fraction_and_count()
    {
        var bar = new ProgressBar(TextWriter.Null, "x", 8, interactive: false);
        bar.Report(2);
        Assert.Contains("[######..................] 2/8", bar.Render());
        bar.Report(20);
        Assert.Equal(8, bar.Done);
    }

    [Fact]
    public void Training_bar_replaces_the_batch_bar_with_the_epoch_line()
    {
        var w = new StringWriter();
        var p = new TrainingProgressBar(w, interactive: true, prefix: "[A1,2] ");
        p.Started(1, 2, 3);
        for (int b = 1; b <= 3; b++) p.Batch(1, b, 3, 1.0 / b);
        var metrics = new EpochMetrics(1, 0.9, 0.5, 0.8, 0.6, 1e-3, 1.5);
        p.Epoch(new EpochReport(metrics, 2, IsBest: true, LearningRateReduced: false, Eta: TimeSpan.FromSeconds(2)));
        var text = w.ToString();
        Assert.Contains("[A1,2] epoch 1/2 [", text);
        Assert.Contains("[A1,2] epoch   1/2  loss 0.9000", text);
        Assert.EndsWith("*" + Environment.NewLine, text);
    }

    [Fact]
    public void Training_progress_in_a_log_is_one_line_per_epoch()
    {
        var w = new StringWriter();
        var p = new TrainingProgressBar(w, interactive: false);
        p.Started(1, 1, 50);
        for (int b = 1; b <= 50; b++) p.Batch(1, b, 50, 1.0);
        p.Epoch(new EpochReport(new EpochMetrics(1, 0.9, 0.5, null, null, 1e-3, 1.5), 1, false, false, TimeSpan.Zero));
        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("no validation", lines[1]);
    }
}
