// Aver's page: sends a file or a recording to /v1/predict, or streams the camera and microphone to /v1/live, and
// draws the answer. No libraries, no build step.
"use strict";
const $ = id => document.getElementById(id);
const colours = ["#d62728", "#8c564b", "#9467bd", "#2ca02c", "#1f77b4", "#ff7f0e", "#7f7f7f", "#17becf", "#bcbd22", "#e377c2"];
let labels = [];
const colourOf = name => colours[Math.max(0, labels.indexOf(name)) % colours.length];

fetch("v1/model").then(r => r.json()).then(m => {
  labels = m.labels;
  $("model").textContent = m.model;
}).catch(() => { $("model").textContent = "the model summary could not be read"; });

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

async function send(blob, name) {
  $("error").hidden = true;
  $("result").hidden = true;
  $("status").textContent = `analysing ${name}…`;
  const form = new FormData();
  form.append("file", blob, name);
  try {
    const response = await fetch("v1/predict", { method: "POST", body: form });
    const body = await response.json().catch(() => ({ error: `the server answered ${response.status} without JSON` }));
    $("status").textContent = "";
    if (!response.ok) { showError(body.error || `error ${response.status}`); return; }
    show(body);
  } catch (e) {
    $("status").textContent = "";
    showError(`the server could not be reached (${e.message})`);
  }
}

function bar(name, value) {
  const row = document.createElement("div");
  row.className = "bar";
  row.dataset.label = name;
  row.dataset.value = value;
  row.innerHTML = `<span class="name"></span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
  row.querySelector(".name").textContent = name;
  row.querySelector(".fill").style.width = `${(100 * value).toFixed(1)}%`;
  row.querySelector(".fill").style.background = colourOf(name);
  row.querySelector(".value").textContent = `${(100 * value).toFixed(1)}%`;
  return row;
}

function show(doc) {
  if (doc.labels) labels = doc.labels;
  const clip = doc.clips[0];
  $("file-name").textContent = clip.file;
  $("label").textContent = clip.label;
  $("confidence").textContent = `(${(100 * clip.probabilities[clip.label]).toFixed(0)}%)`;
  const bars = $("probabilities");
  bars.replaceChildren(...Object.entries(clip.probabilities).map(([n, v]) => bar(n, v)));
  $("branches").replaceChildren(...clip.branches.map(b => {
    const li = document.createElement("li");
    li.dataset.branch = b.name;
    li.textContent = b.status === "used"
      ? `${b.name}: ${b.label} (${(100 * b.probabilities[b.label]).toFixed(0)}%), weight ${b.weight.toFixed(2)}, ${b.steps} ${b.name === "visual" ? "face frames" : "segments"}`
      : `${b.name}: not used — ${b.message}`;
    return li;
  }));
  drawTimeline(clip.timeline || [], clip.seconds, "timeline");
  $("legend").replaceChildren(...labels.map(n => {
    const s = document.createElement("span");
    s.innerHTML = `<i style="background:${colourOf(n)}"></i>`;
    s.append(n);
    return s;
  }));
  $("result").hidden = false;
}

// One mark per timeline window (a bar from its start, as tall as its top probability, in its label's colour),
// and over them each class's probability as a line through the windows' centres.
function drawTimeline(windows, seconds, target) {
  const ns = "http://www.w3.org/2000/svg", width = 800, height = 180, pad = 24;
  const end = Math.max(seconds || 0, ...windows.map(w => w.end), 1e-3);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  const x = t => pad + (width - 2 * pad) * t / end, y = p => height - pad - (height - 2 * pad) * p;
  const step = windows.length > 1 ? windows[1].start - windows[0].start : end;
  windows.forEach(w => {
    const p = w.probabilities[w.label];
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("class", "mark");
    rect.setAttribute("x", x(w.start));
    rect.setAttribute("width", Math.max(1, x(w.start + Math.min(step, w.end - w.start)) - x(w.start) - 1));
    rect.setAttribute("y", y(p));
    rect.setAttribute("height", y(0) - y(p));
    rect.setAttribute("fill", colourOf(w.label));
    rect.dataset.label = w.label;
    const title = document.createElementNS(ns, "title");
    title.textContent = `${w.start.toFixed(2)}–${w.end.toFixed(2)} s: ${w.label} ${(100 * p).toFixed(0)}% [${w.sources.join("+")}]`;
    rect.append(title);
    svg.append(rect);
  });
  labels.forEach(name => {
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", windows.map(w => `${x((w.start + w.end) / 2)},${y(w.probabilities[name] || 0)}`).join(" "));
    line.setAttribute("stroke", colourOf(name));
    line.dataset.label = name;
    svg.append(line);
  });
  for (let t = 0; t <= end + 1e-9; t += Math.max(0.5, Math.ceil(end / 10))) {
    const tick = document.createElementNS(ns, "text");
    tick.setAttribute("x", x(t));
    tick.setAttribute("y", height - 6);
    tick.textContent = `${t.toFixed(1)} s`;
    svg.append(tick);
  }
  $(target).replaceChildren(svg);
}

// Picking and dropping files.
$("file").addEventListener("change", e => { const f = e.target.files[0]; if (f) send(f, f.name); });
const drop = $("drop");
["dragenter", "dragover"].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.add("over"); }));
["dragleave", "drop"].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.remove("over"); }));
drop.addEventListener("drop", e => { const f = e.dataTransfer.files[0]; if (f) send(f, f.name); });

// Recording with MediaRecorder: camera and microphone when there is a camera, the microphone alone otherwise.
let recorder = null;
$("start").addEventListener("click", async () => {
  let stream;
  try { stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true }); }
  catch { try { stream = await navigator.mediaDevices.getUserMedia({ audio: true }); } catch (e) { showError(`no microphone or camera: ${e.message}`); return; } }
  const chunks = [];
  recorder = new MediaRecorder(stream);
  recorder.ondataavailable = e => { if (e.data.size > 0) chunks.push(e.data); };
  recorder.onstop = () => {
    stream.getTracks().forEach(t => t.stop());
    $("preview").hidden = true;
    const type = recorder.mimeType || "video/webm";
    send(new Blob(chunks, { type }), `recording.${type.includes("ogg") ? "ogg" : type.includes("mp4") ? "mp4" : "webm"}`);
  };
  if (stream.getVideoTracks().length > 0) { $("preview").srcObject = stream; $("preview").hidden = false; $("preview").play(); }
  recorder.start();
  $("start").disabled = true;
  $("stop").disabled = false;
  $("status").textContent = "recording…";
});
$("stop").addEventListener("click", () => {
  $("start").disabled = false;
  $("stop").disabled = true;
  if (recorder && recorder.state !== "inactive") recorder.stop();
});

// Live: MediaRecorder's WebM, a quarter-second at a time, over a WebSocket to /v1/live; each window the server
// answers is drawn as it comes, and the summary of the whole stream is shown as a clip's answer when it stops.
async function media() {
  try { return await navigator.mediaDevices.getUserMedia({ audio: true, video: true }); }
  catch { return navigator.mediaDevices.getUserMedia({ audio: true }); }
}

let liveRecorder = null;
$("live-start").addEventListener("click", async () => {
  let stream;
  try { stream = await media(); } catch (e) { showError(`no microphone or camera: ${e.message}`); return; }
  $("error").hidden = true;
  $("result").hidden = true;
  const windows = [];
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/live`);
  const type = ["video/webm;codecs=vp8,opus", "video/webm", "audio/webm;codecs=opus", "audio/webm"].find(t => MediaRecorder.isTypeSupported(t));
  const recorder = liveRecorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  recorder.ondataavailable = e => { if (e.data.size > 0 && ws.readyState === WebSocket.OPEN) ws.send(e.data); };
  recorder.onstop = () => {
    stream.getTracks().forEach(t => t.stop());
    $("preview").hidden = true;
    if (ws.readyState === WebSocket.OPEN) ws.send("end");
    $("status").textContent = "finishing the live answer…";
  };
  ws.onopen = () => {
    recorder.start(250);
    $("live").hidden = false;
    $("live-label").textContent = "listening…";
    $("live-time").textContent = "";
    $("live-timeline").replaceChildren();
    $("status").textContent = "live: recording and answering…";
    if (stream.getVideoTracks().length > 0) { $("preview").srcObject = stream; $("preview").hidden = false; $("preview").play(); }
  };
  ws.onmessage = e => {
    const m = JSON.parse(e.data);
    if (m.error) { showError(m.error); return; }
    if (m.summary) {
      $("status").textContent = "";
      const clip = { ...m.summary, timeline: windows };
      if (clip.label) show({ clips: [clip] }); else showError(`no branch could answer the live stream${m.problem ? ` (${m.problem})` : ""}`);
      return;
    }
    if (!m.label) return;   // a window no branch could answer (silence, no face)
    windows.push({ ...m, sources: Object.keys(m.branches).filter(b => m.branches[b]) });
    $("live-label").textContent = `${m.label} (${(100 * m.probabilities[m.label]).toFixed(0)}%)`;
    $("live-label").dataset.windows = windows.length;
    $("live-time").textContent = `${m.start.toFixed(1)}–${m.end.toFixed(1)} s, ${m.latency.toFixed(2)} s behind`;
    drawTimeline(windows, m.end, "live-timeline");
  };
  ws.onclose = () => { $("live-start").disabled = false; $("live-stop").disabled = true; if (recorder.state !== "inactive") recorder.stop(); };
  ws.onerror = () => showError("the live connection failed");
  $("live-start").disabled = true;
  $("live-stop").disabled = false;
});
$("live-stop").addEventListener("click", () => {
  $("live-stop").disabled = true;
  if (liveRecorder && liveRecorder.state !== "inactive") liveRecorder.stop();
});
