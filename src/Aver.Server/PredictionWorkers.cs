using System.Diagnostics;
using System.Threading.Channels;
using Aver.Inference;

namespace Aver.Server;

/// <summary>
/// A bounded queue in front of N worker threads that share the one loaded model. A full queue refuses new work at
/// once (the caller answers 503 with <see cref="RetryAfter"/>) instead of letting requests pile up in memory.
/// A job owns its upload and deletes it when the worker is done with it, even if its request has given up by then.
/// </summary>
public sealed class PredictionWorkers : IDisposable
{
    private readonly IClipModel _model;
    private readonly Channel<Job> _queue;
    private readonly Thread[] _threads;
    private int _waiting, _running;
    private double _meanSeconds = 1;   // running mean of one prediction's wall time, for Retry-After

    public PredictionWorkers(IClipModel model, int workers, int queueLength)
    {
        _model = model;
        Capacity = workers + queueLength;
        _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
        _threads = Enumerable.Range(0, workers).Select(i => new Thread(Work) { IsBackground = true, Name = $"aver-worker-{i}" }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    /// <summary>Jobs accepted and not finished (running or waiting) at most; the next is refused.</summary>
    public int Capacity { get; }

    /// <summary>Jobs accepted and not yet finished.</summary>
    public int Pending => Volatile.Read(ref _waiting) + Volatile.Read(ref _running);

    /// <summary>True when a new job would be refused now.</summary>
    public bool IsFull => Pending >= Capacity;

    /// <summary>An estimate of when a refused client may find room: the queue's work spread over the workers.</summary>
    public TimeSpan RetryAfter => TimeSpan.FromSeconds(Math.Max(1, Volatile.Read(ref _meanSeconds) * Math.Max(1, Pending) / _threads.Length));

    /// <summary>
    /// Queues the prediction of <paramref name="upload"/>, which the job now owns; null when the queue is full (the upload is
    /// then deleted). A job whose <paramref name="cancel"/> fires before a worker takes it is skipped.
    /// </summary>
    public Task<ClipPrediction>? TryEnqueue(TempUpload upload, PredictionOptions options, CancellationToken cancel)
    {
        if (Interlocked.Increment(ref _waiting) + Volatile.Read(ref _running) > Capacity)
        {
            Interlocked.Decrement(ref _waiting);
            upload.Dispose();
            return null;
        }
        var job = new Job(upload, options, cancel);
        if (!_queue.Writer.TryWrite(job))
        {
            Interlocked.Decrement(ref _waiting);
            upload.Dispose();
            return null;
        }
        return job.Answer.Task;
    }

    private void Work()
    {
        while (true)
        {
            Job job;
            try
            {
                if (!_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return;
                if (!_queue.Reader.TryRead(out job!)) continue;
            }
            catch (ChannelClosedException) { return; }
            Interlocked.Increment(ref _running);
            Interlocked.Decrement(ref _waiting);
            try
            {
                if (job.Cancel.IsCancellationRequested) { job.Answer.TrySetCanceled(job.Cancel); continue; }
                var clock = Stopwatch.StartNew();
                job.Answer.TrySetResult(_model.Predict(job.Upload.FilePath, job.Options));
                Volatile.Write(ref _meanSeconds, 0.8 * Volatile.Read(ref _meanSeconds) + 0.2 * clock.Elapsed.TotalSeconds);
            }
            catch (Exception e) { job.Answer.TrySetException(e); }
            finally
            {
                job.Upload.Dispose();
                Interlocked.Decrement(ref _running);
            }
        }
    }

    /// <summary>Stops taking work; workers finish the jobs already queued and end.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(30));
    }

    private sealed record Job(TempUpload Upload, PredictionOptions Options, CancellationToken Cancel)
    {
        public TaskCompletionSource<ClipPrediction> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
