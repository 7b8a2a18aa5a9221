using Aver.Features;
using Aver.Inference.Branches;

namespace Aver.Inference.Live;

/// <summary>
/// An audio branch over a stream heard a chunk at a time: <see cref="LiveAudioTrack"/> for MRPN's AM (segment features
/// as they arrive), <see cref="LiveLogMelTrack"/> for an audio CNN (each window's samples run as a clip).
/// <see cref="Add"/> and <see cref="End"/> run on the audio thread; everything else under the session's lock.
/// </summary>
internal interface ILiveAudioTrack
{
    /// <summary>The most audio (seconds) held at once.</summary>
    double PeakHeldSeconds { get; }

    /// <summary>Seconds of audio received.</summary>
    double Received { get; }

    /// <summary>A window ending before this time can be answered now (infinite once the stream has ended).</summary>
    double DoneThrough { get; }

    /// <summary>Whether enough has been heard to answer <paramref name="window"/> as the file's timeline would.</summary>
    bool CanAnswer(TimeInterval window) => DoneThrough >= window.End;

    void Add(float[] chunk);
    void End();

    /// <summary>Windows ending before <paramref name="seconds"/> are answered; their samples may go.</summary>
    void Release(double seconds);

    /// <summary>The window's answer, or null (silent, or nothing heard in it).</summary>
    ClassProbabilities? Answer(TimeInterval window);

    /// <summary>The whole stream's answer.</summary>
    BranchOutput Summary();

    /// <summary>The track that runs <paramref name="branch"/> on a stream.</summary>
    static ILiveAudioTrack For(IAudioBranch branch, object gate) => branch switch
    {
        AudioBranch am => new LiveAudioTrack(am, gate),
        LogMelAudioBranch cnn => new LiveLogMelTrack(cnn, gate),
        _ => throw new NotSupportedException($"live streams do not run a {branch.GetType().Name}"),
    };
}
