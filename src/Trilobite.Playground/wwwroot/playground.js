// The TensorFlow-Playground-style page. The network trains on the server; this page sends the
// configuration and play/pause/step/reset, and draws the frames that arrive over Server-Sent Events.
"use strict";

(() => {
  const FEATURES = [["x1", "x₁"], ["x2", "x₂"], ["x1sq", "x₁²"], ["x2sq", "x₂²"], ["x1x2", "x₁x₂"],
    ["sinx1", "sin x₁"], ["sinx2", "sin x₂"], ["r", "r"], ["theta", "θ"]];
  const $ = id => document.getElementById(id);

  let config = {
    dataset: "circle", noise: 0, trainRatio: 0.5, seed: 1, features: ["x1", "x2"], hidden: [4, 2],
    activation: "tanh", learningRate: 0.03, regularization: "none", regularizationRate: 0, batchSize: 10,
  };
  let sessionId = null, events = null, frame = null, history = [], points = { train: [], test: [] };
  let structure = "";          // features + hidden, to know when the network drawing must be rebuilt
  let nodes = [];              // nodes[layer][unit] → canvas (layer 0 = active features, last = output)
  let busy = Promise.resolve();

  function say(text, isError) {
    const m = $("message");
    m.textContent = text || "";
    m.className = isError ? "error" : "muted";
  }

  // ---------- talking to the server ----------

  async function createSession() {
    const snapshot = await Trilo.request("POST", "/api/sessions", config);
    sessionId = snapshot.id;
    try { sessionStorage.setItem("trilobite-session", sessionId); } catch { /* storage disabled */ }
    applySnapshot(snapshot);
    connect();
  }

  /** A reload keeps this tab's session while the server still holds it; other tabs get their own. */
  async function resumeOrCreate() {
    let id = null;
    try { id = sessionStorage.getItem("trilobite-session"); } catch { id = null; }
    if (id) {
      try {
        const snapshot = await Trilo.request("GET", `/api/sessions/${encodeURIComponent(id)}`);
        sessionId = snapshot.id;
        applySnapshot(snapshot);
        connect();
        return;
      } catch { /* expired: start a new one */ }
    }
    await createSession();
  }

  function connect() {
    if (events) events.close();
    events = new EventSource(`/api/sessions/${sessionId}/events`);
    events.addEventListener("frame", e => {
      const update = JSON.parse(e.data);
      if (update.config) {
        config = update.config;
        points = { train: update.train, test: update.test };
        history = update.history;
      } else {
        for (const p of update.history) if (!history.length || p.epoch > history[history.length - 1].epoch) history.push(p);
      }
      frame = update.frame;
      render();
    });
    events.onerror = async () => {
      // The server restarted or dropped the session: start a new one with the same settings.
      try { await Trilo.request("GET", `/api/sessions/${sessionId}`); }
      catch (err) {
        if (err.status === 404) { events.close(); say("The session expired; starting a new one."); await createSession(); }
      }
    };
  }

  function act(fn) {
    busy = busy.then(fn).catch(err => say(err.message, true));
    return busy;
  }

  function applySnapshot(s) {
    config = s.config;
    points = { train: s.train, test: s.test };
    history = s.history;
    frame = s.frame;
    render();
  }

  function sendConfig(change) {
    Object.assign(config, change);
    return act(async () => applySnapshot(await Trilo.request("PUT", `/api/sessions/${sessionId}/config`, config)));
  }

  // ---------- controls ----------

  function syncControls() {
    $("learningRate").value = String(config.learningRate);
    $("activation").value = config.activation;
    $("regularization").value = config.regularization;
    $("regularizationRate").value = String(config.regularizationRate);
    $("batchSize").value = config.batchSize; $("batchSizeValue").textContent = config.batchSize;
    $("trainRatio").value = Math.round(config.trainRatio * 100); $("trainRatioValue").textContent = Math.round(config.trainRatio * 100);
    $("noise").value = Math.round(config.noise * 100); $("noiseValue").textContent = Math.round(config.noise * 100);
    $("seed").value = config.seed; $("seedValue").textContent = config.seed;
    for (const b of document.querySelectorAll("[data-dataset]")) b.classList.toggle("selected", b.dataset.dataset === config.dataset);
    const n = config.hidden.length;
    $("layerCount").textContent = `${n} hidden layer${n === 1 ? "" : "s"}`;
    $("addLayer").disabled = n >= 6;
    $("removeLayer").disabled = n <= 0;
  }

  function wireControls() {
    $("play").addEventListener("click", () => act(async () => {
      const f = await Trilo.request("POST", `/api/sessions/${sessionId}/${frame && frame.playing ? "pause" : "play"}`);
      frame = f; render();
    }));
    $("step").addEventListener("click", () => act(async () => { frame = await Trilo.request("POST", `/api/sessions/${sessionId}/step`); render(); }));
    $("reset").addEventListener("click", () => act(async () => applySnapshot(await Trilo.request("POST", `/api/sessions/${sessionId}/reset`))));
    $("learningRate").addEventListener("change", e => sendConfig({ learningRate: Number(e.target.value) }));
    $("activation").addEventListener("change", e => sendConfig({ activation: e.target.value }));
    $("regularization").addEventListener("change", e => sendConfig({ regularization: e.target.value }));
    $("regularizationRate").addEventListener("change", e => sendConfig({ regularizationRate: Number(e.target.value) }));
    const slider = (id, toConfig, show) => {
      $(id).addEventListener("input", e => { $(id + "Value").textContent = show(e.target.value); });
      $(id).addEventListener("change", e => sendConfig(toConfig(Number(e.target.value))));
    };
    slider("batchSize", v => ({ batchSize: v }), v => v);
    slider("trainRatio", v => ({ trainRatio: v / 100 }), v => v);
    slider("noise", v => ({ noise: v / 100 }), v => v);
    slider("seed", v => ({ seed: v }), v => v);
    $("showTest").addEventListener("change", drawBoundary);
    for (const b of document.querySelectorAll("[data-dataset]")) {
      drawThumbnail(b.querySelector("canvas"), b.dataset.dataset);
      b.addEventListener("click", () => sendConfig({ dataset: b.dataset.dataset }));
    }
    $("addLayer").addEventListener("click", () => { if (config.hidden.length < 6) sendConfig({ hidden: [...config.hidden, 2] }); });
    $("removeLayer").addEventListener("click", () => { if (config.hidden.length > 0) sendConfig({ hidden: config.hidden.slice(0, -1) }); });
    window.addEventListener("resize", drawLinks);
  }

  function toggleFeature(name) {
    const on = config.features.includes(name);
    if (on && config.features.length === 1) { say("Keep at least one input feature."); return; }
    const features = on ? config.features.filter(f => f !== name) : FEATURES.map(f => f[0]).filter(f => f === name || config.features.includes(f));
    sendConfig({ features });
  }

  function changeNeurons(layer, delta) {
    const hidden = [...config.hidden];
    hidden[layer] = Math.min(8, Math.max(1, hidden[layer] + delta));
    if (hidden[layer] !== config.hidden[layer]) sendConfig({ hidden });
  }

  // ---------- drawing ----------

  function render() {
    if (!frame) return;
    syncControls();
    const key = config.features.join(",") + "|" + config.hidden.join(",");
    if (key !== structure) { structure = key; buildNetwork(); }
    $("epoch").textContent = String(frame.epoch).padStart(6, "0").replace(/(\d{3})(\d{3})$/, "$1,$2");
    $("testLoss").textContent = Trilo.lossText(frame.testLoss);
    $("trainLoss").textContent = Trilo.lossText(frame.trainLoss);
    const play = $("play");
    play.textContent = frame.playing ? "❚❚" : "▶";
    play.classList.toggle("playing", frame.playing);
    play.setAttribute("aria-label", frame.playing ? "Pause" : "Run");
    if (frame.message) say(frame.message, false); else if ($("message").className !== "error") say("");
    for (let l = 0; l < frame.layers.length && l < nodes.length - 1; l++)
      frame.layers[l].forEach((map, i) => { if (nodes[l][i]) Trilo.paint(nodes[l][i], Trilo.bytes(map), frame.neuronGrid, frame.neuronGrid, Trilo.diverging); });
    const out = nodes[nodes.length - 1];
    if (out && out[0]) Trilo.paint(out[0], Trilo.bytes(frame.boundary), frame.grid, frame.grid, Trilo.diverging);
    drawBoundary();
    drawLossChart();
    drawLinks();
  }

  function buildNetwork() {
    const container = $("layers");
    container.innerHTML = "";
    nodes = [];
    // Inputs: every feature, active ones with a heat map; click toggles.
    const inputs = column("Features");
    const active = [];
    for (const [name, label] of FEATURES) {
      const on = config.features.includes(name);
      const node = document.createElement("div");
      node.className = "node feature" + (on ? "" : " off");
      node.dataset.feature = name;
      node.title = (on ? "Switch off " : "Switch on ") + label;
      node.innerHTML = `<span class="name">${label}</span>`;
      const canvas = document.createElement("canvas");
      node.appendChild(canvas);
      node.addEventListener("click", () => toggleFeature(name));
      inputs.appendChild(node);
      if (on) active[config.features.indexOf(name)] = canvas;
    }
    nodes.push(active);
    config.hidden.forEach((units, l) => {
      const col = column(`${units} neuron${units === 1 ? "" : "s"}`);
      const pm = document.createElement("div");
      pm.className = "plusminus";
      pm.innerHTML = `<button title="Add a neuron" data-layer="${l}" data-delta="1">+</button><button title="Remove a neuron" data-layer="${l}" data-delta="-1">−</button>`;
      pm.querySelectorAll("button").forEach(b => b.addEventListener("click", () => changeNeurons(l, Number(b.dataset.delta))));
      col.insertBefore(pm, col.children[1]);
      const list = [];
      for (let u = 0; u < units; u++) {
        const node = document.createElement("div");
        node.className = "node neuron";
        const canvas = document.createElement("canvas");
        node.appendChild(canvas);
        col.appendChild(node);
        list.push(canvas);
      }
      nodes.push(list);
    });
    const out = column("Output");
    const node = document.createElement("div");
    node.className = "node";
    const canvas = document.createElement("canvas");
    node.appendChild(canvas);
    out.appendChild(node);
    nodes.push([canvas]);

    function column(title) {
      const col = document.createElement("div");
      col.className = "layer";
      col.innerHTML = `<div class="title">${title}</div>`;
      container.appendChild(col);
      return col;
    }
  }

  function drawLinks() {
    const svg = $("links"), box = $("layers");
    if (!frame || !nodes.length) return;
    const base = box.getBoundingClientRect();
    svg.setAttribute("width", box.scrollWidth);
    svg.setAttribute("height", box.scrollHeight);
    const centre = (canvas, side) => {
      const r = canvas.getBoundingClientRect();
      return [(side < 0 ? r.left : r.right) - base.left, r.top + r.height / 2 - base.top];
    };
    let html = "";
    for (let l = 0; l + 1 < nodes.length; l++) {
      const w = frame.weights[l], from = nodes[l], to = nodes[l + 1];
      if (!w) continue;
      for (let i = 0; i < from.length; i++)
        for (let j = 0; j < to.length; j++) {
          const v = Trilo.num(w[i * to.length + j]);
          if (!Number.isFinite(v) || !from[i] || !to[j]) continue;
          const [x1, y1] = centre(from[i], 1), [x2, y2] = centre(to[j], -1);
          const width = Math.min(6, Math.max(0.4, Math.abs(v) * 1.6)).toFixed(2);
          const colour = v > 0 ? "#0877bd" : "#f59322";
          const mx = (x1 + x2) / 2;
          html += `<path d="M${x1.toFixed(1)},${y1.toFixed(1)} C${mx.toFixed(1)},${y1.toFixed(1)} ${mx.toFixed(1)},${y2.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}" stroke="${colour}" stroke-width="${width}" fill="none" opacity="0.55"/>`;
        }
    }
    svg.innerHTML = html;
  }

  function drawBoundary() {
    if (!frame) return;
    const canvas = $("boundary"), ctx = canvas.getContext("2d");
    const tmp = document.createElement("canvas");
    Trilo.paint(tmp, Trilo.bytes(frame.boundary), frame.grid, frame.grid, Trilo.diverging);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tmp, 0, 0, canvas.width, canvas.height);
    const W = canvas.width, H = canvas.height, px = x => (x + 6) / 12 * W, py = y => (6 - y) / 12 * H;
    const dot = (p, stroke) => {
      ctx.beginPath();
      ctx.arc(px(p[0]), py(p[1]), W / 110, 0, 2 * Math.PI);
      ctx.fillStyle = p[2] > 0.5 ? "#0877bd" : "#f59322";
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = stroke;
      ctx.stroke();
    };
    for (const p of points.train) dot(p, "#fff");
    if ($("showTest").checked) for (const p of points.test) dot(p, "#000");
    ctx.strokeStyle = "rgba(0,0,0,.25)";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(W / 2, 0); ctx.lineTo(W / 2, H); ctx.moveTo(0, H / 2); ctx.lineTo(W, H / 2); ctx.stroke();
  }

  function drawLossChart() {
    const canvas = $("loss-chart"), ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
    ctx.clearRect(0, 0, W, H);
    if (history.length < 1) return;
    const last = history[history.length - 1].epoch || 1;
    let max = 0;
    for (const p of history) for (const v of [Trilo.num(p.train), Trilo.num(p.test)]) if (Number.isFinite(v)) max = Math.max(max, v);
    max = max || 1;
    const line = (key, colour) => {
      ctx.beginPath();
      let started = false;
      history.forEach(p => {
        const v = Trilo.num(p[key]);
        if (Number.isNaN(v)) return;   // a diverged point: the curve stops there (Infinity is drawn at the top)
        const x = p.epoch / last * (W - 4) + 2, y = H - 3 - Math.min(1, v / max) * (H - 6);
        if (!started) { ctx.moveTo(x, y); started = true; } else ctx.lineTo(x, y);
      });
      ctx.strokeStyle = colour; ctx.lineWidth = 2.5; ctx.stroke();
    };
    line("train", "#999");
    line("test", "#000");
  }

  /** Dataset icons, drawn locally (the real points come from the server). */
  function drawThumbnail(canvas, kind) {
    const ctx = canvas.getContext("2d"), n = canvas.width;
    const image = ctx.createImageData(n, n);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const u = (x / n) * 12 - 6, v = 6 - (y / n) * 12, r = Math.hypot(u, v);
        let val;
        if (kind === "circle") val = r < 3 ? 1 : -1;
        else if (kind === "xor") val = u * v >= 0 ? 1 : -1;
        else if (kind === "gaussians") val = Math.tanh(u + v);
        else { const t = Math.atan2(u, v), k = ((t - r / 5 * 1.75 * 2 * Math.PI) % (2 * Math.PI) + 4 * Math.PI) % (2 * Math.PI); val = r < 5.5 ? Math.cos(k) : 0; }
        const [R, G, B] = Trilo.diverging((val + 1) * 127.5 * 0.9 + 12);
        const i = (y * n + x) * 4;
        image.data[i] = R; image.data[i + 1] = G; image.data[i + 2] = B; image.data[i + 3] = 255;
      }
    ctx.putImageData(image, 0, 0);
  }

  wireControls();
  act(resumeOrCreate);
})();
