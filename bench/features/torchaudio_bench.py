# Torchaudio side of bench/features/run.sh: /usr/bin/python3 bench/features/torchaudio_bench.py --threads 1 --hours 1
"""The MRPN spectrogram segments and AVEF log-mel + delta stacks of one hour of 16 kHz speech, with the same
operations as Aver.Features (torch.stft, melscale_fbanks, compute_deltas), clip by clip; one JSON line per front end."""
import argparse, glob, json, os, resource, time
import torch, torchaudio
import torchaudio.functional as F

HANN = torch.hann_window(512)
HAMMING = torch.hamming_window(400)
FBANK = F.melscale_fbanks(257, 0.0, 8000.0, 64, 16000)  # HTK, no norm: [257, 64]


def mrpn(x):
    # MRPN §4.4: standardise, |STFT| (Hann 512, hop 64, centred, reflect), log(|X| + 1e-6), 256 bins,
    # 1-s segments (250 frames) every 0.2 s (50 frames), laid out [segments, 1, 256, 250].
    x = (x - x.mean()) / x.std(unbiased=False)
    if x.numel() < 16000: x = torch.nn.functional.pad(x, (0, 16000 - x.numel()))
    count = 1 + (x.numel() - 16000) // 3200
    s = torch.stft(x, 512, 64, window=HANN, center=True, pad_mode="reflect", return_complex=True).abs()
    s = torch.log(s[:256] + 1e-6)
    return s.unfold(1, 250, 50)[:, :count].permute(1, 0, 2).unsqueeze(1).contiguous()


def avef(x):
    # AVEF §2.1.1: pre-emphasis 0.97, 400-sample Hamming frames every 160 samples zero-padded to 512,
    # log(mel * |rfft|^2 + 0.01), 64-frame segments every 34 frames, deltas per segment: [segments, 3, 64, 64].
    x = torch.cat([x[:1], x[1:] - 0.97 * x[:-1]])
    if x.numel() < 400 + 63 * 160: x = torch.nn.functional.pad(x, (0, 400 + 63 * 160 - x.numel()))
    x = torch.nn.functional.pad(x, (56, 56))
    power = torch.stft(x, 512, 160, win_length=400, window=HAMMING, center=False, return_complex=True).abs().pow(2)
    logmel = torch.log(FBANK.T @ power + 0.01)                     # [64 mels, frames]
    segs = logmel.unfold(1, 64, 34)                                 # [64, segments, 64]
    segs = segs.permute(1, 0, 2)                                    # [segments, mels, time]
    d1 = F.compute_deltas(segs, win_length=5)
    d2 = F.compute_deltas(d1, win_length=5)
    return torch.stack([segs, d1, d2], 1).contiguous()


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime



def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="../shared/data/ravdess/speech16k")
    p.add_argument("--hours", type=float, default=1.0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--files", type=int, default=240)
    p.add_argument("--dump", help="write both front ends' outputs for the first file here (raw float32) and exit")
    a = p.parse_args()
    torch.set_num_threads(a.threads)

    files = sorted(glob.glob(os.path.join(a.data, "**", "*.wav"), recursive=True))[: a.files]
    clips = [torchaudio.load(f)[0].mean(0) for f in files]
    if a.dump:
        # The agreement check of run.sh: Aver's bench compares its outputs for the same file with these.
        os.makedirs(a.dump, exist_ok=True)
        with torch.no_grad():
            for name, run in (("mrpn", mrpn), ("avef", avef)):
                y = run(clips[0])
                y.numpy().astype("float32").tofile(os.path.join(a.dump, name + ".f32"))
                with open(os.path.join(a.dump, name + ".shape"), "w") as f: f.write(" ".join(map(str, y.shape)))
        return
    sequence, total = [], 0.0
    i = 0
    while total < a.hours * 3600:
        c = clips[i % len(clips)]; sequence.append(c); total += c.numel() / 16000; i += 1

    with torch.no_grad():
        for name, run in (("mrpn", mrpn), ("avef", avef)):
            for c in clips[:60]: run(c)
            c0, t0 = cpu_seconds(), time.perf_counter()
            segments = sum(run(c).shape[0] for c in sequence)
            wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
            print(json.dumps(dict(side="torchaudio", features=name, threads=a.threads, clips=len(sequence), audio_seconds=round(total, 1),
                                  segments=segments, wall_seconds=round(wall, 3), cpu_seconds=round(cpu, 3),
                                  x_real_time=round(total / wall, 1), x_real_time_per_cpu_second=round(total / cpu, 1))), flush=True)


if __name__ == "__main__":
    main()
