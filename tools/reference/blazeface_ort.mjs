// Regenerate: (cd third_party/ort && npm install --no-save --ignore-scripts onnxruntime-node) && node tools/reference/blazeface_ort.mjs
// Reference outputs of BlazeFace (face_detection_front_128x128_barracuda.onnx) from onnxruntime-node on real
// frames, written as tests/fixtures/faces/blazeface_<n>.safetensors: the 128x128 letterboxed RGB pixels (F16,
// exact for 0..255), the sigmoid-free scores of all 896 anchors, and the 16 regressors of the 32 best anchors.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const require = createRequire(path.join(root, 'third_party/ort/package.json'));
const ort = require('onnxruntime-node');
const model = path.join(root, 'third_party/blazeface/package/ONNX/face_detection_front_128x128_barracuda.onnx');
const data = process.env.AVER_SHARED_DATA ?? path.resolve(root, '../../shared/data');
const frames = [
  { clip: 'ravdess/av/01-01-01-01-01-01-01.mp4', time: 1.0 },
  { clip: 'ravdess/av/01-01-08-01-01-01-06.mp4', time: 2.0 },
  { clip: 'crema-d/1001_DFA_ANG_XX.flv', time: 1.0 },
];

/** Letterbox to 128x128 exactly as Aver's BlazeFace does: scale the long side to 128 (bilinear), centre, pad black. */
function letterbox(file, time) {
  const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]).toString().trim().split(',').map(Number);
  const [w, h] = probe;
  const s = 128 / Math.max(w, h);
  const sw = Math.round(w * s), sh = Math.round(h * s);
  const px = Math.floor((128 - sw) / 2), py = Math.floor((128 - sh) / 2);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', String(time), '-i', file, '-frames:v', '1',
    '-vf', `scale=${sw}:${sh}:flags=bilinear,pad=128:128:${px}:${py}:black`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  if (raw.length !== 128 * 128 * 3) throw new Error(`${file}: got ${raw.length} bytes`);
  return { pixels: raw, width: w, height: h };
}

function halfBits(v) {   // an integer 0..255 as IEEE binary16 bits (exact)
  if (v === 0) return 0;
  const e = Math.floor(Math.log2(v));
  return ((e + 15) << 10) | Math.round((v / 2 ** e - 1) * 1024);
}

function writeSafetensors(file, tensors, metadata) {
  const header = { __metadata__: metadata };
  const blobs = [];
  let offset = 0;
  for (const [name, { dtype, shape, bytes }] of Object.entries(tensors)) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let h = Buffer.from(JSON.stringify(header));
  h = Buffer.concat([h, Buffer.alloc((8 - (h.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  writeFileSync(file, Buffer.concat([len, h, ...blobs]));
}

const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
mkdirSync(path.join(root, 'tests/fixtures/faces'), { recursive: true });
for (const [n, f] of frames.entries()) {
  const { pixels, width, height } = letterbox(path.join(data, f.clip), f.time);
  const run = async (scale, offset) => {
    const x = new Float32Array(pixels.length);
    for (let i = 0; i < x.length; i++) x[i] = pixels[i] * scale + offset;   // NHWC, as the model's input:0 is [1,128,128,3]
    return session.run({ 'input:0': new ort.Tensor('float32', x, [1, 128, 128, 3]) });
  };
  // MediaPipe feeds this model pixels in [-1, 1]; check that the range matters and which one gives the confident face.
  const out = await run(2 / 255, -1);
  const alt = await run(1 / 255, 0);
  const scores = new Float32Array(896), boxes = new Float32Array(896 * 16);
  scores.set(out['Identity:0'].data, 0); scores.set(out['Identity_1:0'].data, 512);
  boxes.set(out['Identity_2:0'].data, 0); boxes.set(out['Identity_3:0'].data, 512 * 16);
  const altScores = [...alt['Identity:0'].data, ...alt['Identity_1:0'].data];
  const order = [...scores.keys()].sort((a, b) => scores[b] - scores[a]).slice(0, 32);
  const top = new Float32Array(32 * 16);
  order.forEach((a, k) => top.set(boxes.subarray(a * 16, a * 16 + 16), k * 16));
  const px = Buffer.alloc(pixels.length * 2);
  for (let i = 0; i < pixels.length; i++) px.writeUInt16LE(halfBits(pixels[i]), 2 * i);
  const idx = Buffer.alloc(32 * 8);
  order.forEach((a, k) => idx.writeBigInt64LE(BigInt(a), 8 * k));
  const file = path.join(root, `tests/fixtures/faces/blazeface_${n}.safetensors`);
  writeSafetensors(file, {
    pixels: { dtype: 'F16', shape: [128, 128, 3], bytes: px },
    scores: { dtype: 'F32', shape: [896], bytes: Buffer.from(scores.buffer) },
    top_anchors: { dtype: 'I64', shape: [32], bytes: idx },
    top_boxes: { dtype: 'F32', shape: [32, 16], bytes: Buffer.from(top.buffer) },
  }, { clip: f.clip, time: String(f.time), source_size: `${width}x${height}`, runtime: `onnxruntime-node ${ort.env.versions?.common ?? ''}`, input_range: '[-1,1]' });
  const sig = (v) => 1 / (1 + Math.exp(-v));
  console.log(`${file}: best score ${sig(scores[order[0]]).toFixed(4)} at anchor ${order[0]} ([0,1] input would give ${sig(Math.max(...altScores)).toFixed(4)})`);
}
