"""30 recordings of 4 RAVDESS clips of one validation speaker (actor 15 or 16), 4 different emotions each, joined end
to end; truth.json gives each part's span and emotion code. Usage: python3 make_concat.py OUT_DIR [DATA_DIR]"""
import json, os, random, sys, wave, glob

out = sys.argv[1]
data = sys.argv[2] if len(sys.argv) > 2 else '../shared/data/ravdess/speech16k'
os.makedirs(out, exist_ok=True)
random.seed(7)
files = sorted(glob.glob(f'{data}/Actor_1[56]/*.wav'))
truth = {}
for i in range(30):
    actor = random.choice(['15', '16'])
    pool = [f for f in files if f.endswith(f'-{actor}.wav')]
    picks, emotions = [], set()
    while len(picks) < 4:
        f = random.choice(pool)
        e = os.path.basename(f).split('-')[2]
        if e in emotions:
            continue
        emotions.add(e)
        picks.append(f)
    data_bytes, spans, t = b'', [], 0.0
    for f in picks:
        w = wave.open(f)
        n = w.getnframes()
        data_bytes += w.readframes(n)
        w.close()
        spans.append([t, t + n / 16000, os.path.basename(f).split('-')[2]])
        t += n / 16000
    name = f'concat{i:02d}.wav'
    o = wave.open(os.path.join(out, name), 'wb')
    o.setnchannels(1); o.setsampwidth(2); o.setframerate(16000); o.writeframes(data_bytes); o.close()
    truth[name] = spans
json.dump(truth, open(os.path.join(out, 'truth.json'), 'w'))
