using Aver.Data.Labels;
using Aver.Inference;

namespace Aver.Server.Tests;

/// <summary>The bounded queue on its own, with a model that answers only when told: refusals, ownership of uploads, skipped abandoned jobs.</summary>
public class PredictionWorkersTests : IDisposable
{
    private readonly UploadFolder _folder = new(Path.GetTempPath());

    /// <summary>Answers once <see cref="Release"/> is set; counts its calls.</summary>
    private sealed class GatedModel : IClipModel
    {
        public ManualResetEventSlim Release { get; } = new(false);
        public int Calls;
        public LabelSpace Labels { get; } = new("two", ["a", "b"]);
        public string Description => "gated test model";

        public ClipPrediction Predict(string path, PredictionOptions options)
        {
            Interlocked.Increment(ref Calls);
            Assert.True(File.Exists(path), "the upload must exist while its worker runs");
            Release.Wait(TimeSpan.FromSeconds(30));
            return new ClipPrediction(path, 1, new ClassProbabilities(Labels, [0.25f, 0.75f]), [], [], 0);
        }
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_and_every_upload_is_deleted()
    {
        var model = new GatedModel();
        using (var workers = new PredictionWorkers(model, workers: 1, queueLength: 1))
        {
            var running = workers.TryEnqueue(_folder.Create(), new PredictionOptions(), CancellationToken.None);
            var queued = workers.TryEnqueue(_folder.Create(), new PredictionOptions(), CancellationToken.None);
            Assert.NotNull(running);
            Assert.NotNull(queued);
            Assert.True(workers.IsFull);
            Assert.Null(workers.TryEnqueue(_folder.Create(), new PredictionOptions(), CancellationToken.None));
            Assert.Equal(2, _folder.Count);   // the refused upload is gone already
            Assert.True(workers.RetryAfter >= TimeSpan.FromSeconds(1));

            model.Release.Set();
            Assert.Equal("b", (await running!).Label!.Value.Name);
            await queued!;
        }
        Assert.Equal(2, model.Calls);
        Assert.Equal(0, _folder.Count);
    }

    [Fact]
    public async Task A_job_whose_client_gave_up_is_skipped_and_its_upload_deleted()
    {
        var model = new GatedModel();
        using var workers = new PredictionWorkers(model, workers: 1, queueLength: 4);
        var first = workers.TryEnqueue(_folder.Create(), new PredictionOptions(), CancellationToken.None)!;
        using var gone = new CancellationTokenSource();
        var abandoned = workers.TryEnqueue(_folder.Create(), new PredictionOptions(), gone.Token)!;
        gone.Cancel();
        model.Release.Set();
        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(1, model.Calls);
        Assert.Equal(0, _folder.Count);
    }

    public void Dispose() => _folder.Dispose();
}
