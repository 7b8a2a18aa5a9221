"""Accuracy of the timeline windows of `aver predict --json` output against RAVDESS labels (FER's 7 classes; calm
counts as neutral). With TRUTH (make_concat.py's truth.json), a window's truth is the part its centre falls in;
without, it is the clip's own label. Usage: python3 window_accuracy.py PREDICT.json [TRUTH.json]"""
import collections, json, os, sys

CODES = {'01': 'neutral', '02': 'neutral', '03': 'happy', '04': 'sad', '05': 'angry', '06': 'fear', '07': 'disgust', '08': 'surprise'}
clips = json.load(open(sys.argv[1]))['clips']
truth = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
right = total = clip_right = 0
said = collections.Counter()
for c in clips:
    name = os.path.basename(c['file'])
    if truth is None:
        clip_right += c['label'] == CODES[name.split('-')[2]]
    for w in c.get('timeline', []):
        if w.get('label') is None:
            continue
        mid = (w['start'] + w['end']) / 2
        want = CODES[name.split('-')[2]] if truth is None else next(CODES[e] for a, b, e in truth[name] if a <= mid < b)
        total += 1
        right += w['label'] == want
        said[w['label']] += 1
if truth is None:
    print(f'clips {len(clips)}: clip accuracy {100 * clip_right / len(clips):.1f} %')
print(f'windows {total}: accuracy {100 * right / total:.1f} %; labels given {dict(said.most_common())}')
