// Draw-a-digit: pointer events (mouse, pen, touch) on a canvas; the drawing goes to the server,
// which makes it MNIST-like and classifies it; "what the network sees" comes with it on pen-up.
"use strict";

(() => {
  const $ = id => document.getElementById(id);
  const pad = $("pad"), ctx = pad.getContext("2d");
  const SEND = 140;                    // the drawing is sent at 140×140 grey levels
  let ready = false, drawing = false, inked = false, last = null, target = null;
  let pending = false, inFlight = false, lastSent = 0;

  // ---------- status of the classifier (training at start-up) ----------

  async function pollStatus() {
    try {
      const s = await Trilo.request("GET", "/api/digits/status");
      const box = $("status");
      box.className = s.state === "ready" ? "ready" : s.state === "failed" ? "failed" : "";
      let text = s.message;
      if (s.state === "ready" && s.testAccuracy != null) text += ` (test accuracy ${(s.testAccuracy * 100).toFixed(1)}% on 1,505 held-out digits)`;
      box.textContent = text;
      if (s.state === "training" || s.state === "loading") {
        const bar = document.createElement("progress");
        bar.max = 1; bar.value = s.progress;
        box.appendChild(bar);
      }
      const wasReady = ready;
      ready = s.state === "ready";
      box.dataset.state = s.state;
      if (ready && !wasReady && inked) send(true);
      if (!ready && s.state !== "failed") setTimeout(pollStatus, 1000);
    } catch (err) {
      $("status").textContent = `Cannot reach the server: ${err.message}`;
      setTimeout(pollStatus, 2000);
    }
  }

  // ---------- drawing ----------

  function clear() {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, pad.width, pad.height);
    inked = false;
    target = null;
    $("guess").textContent = "Draw a digit in the black square.";
    $("guess").className = "muted";
    renderBars(null);
  }

  function point(e) {
    const r = pad.getBoundingClientRect();
    return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
  }

  function stroke(from, to) {
    ctx.strokeStyle = "#fff";
    ctx.fillStyle = "#fff";
    ctx.lineWidth = 18;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
    inked = true;
  }

  pad.addEventListener("pointerdown", e => {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    drawing = true;
    last = point(e);
    stroke(last, last);
    schedule();
  });
  pad.addEventListener("pointermove", e => {
    if (!drawing) return;
    e.preventDefault();
    const p = point(e);
    stroke(last, p);
    last = p;
    schedule();
  });
  const end = e => {
    if (!drawing) return;
    drawing = false;
    try { pad.releasePointerCapture(e.pointerId); } catch { /* already released */ }
    send(true);
  };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  $("clear").addEventListener("click", clear);

  // ---------- talking to the server ----------

  function pixels() {
    const small = document.createElement("canvas");
    small.width = SEND; small.height = SEND;
    const sctx = small.getContext("2d");
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = "high";
    sctx.drawImage(pad, 0, 0, SEND, SEND);
    const rgba = sctx.getImageData(0, 0, SEND, SEND).data;
    const grey = new Uint8Array(SEND * SEND);
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4];
    return { width: SEND, height: SEND, pixels: Trilo.base64(grey) };
  }

  /** While drawing: at most about five predictions a second. */
  function schedule() {
    if (Date.now() - lastSent > 200) send(false); else pending = true;
  }

  async function send(withInsight) {
    if (!ready || !inked) return;
    if (inFlight && !withInsight) { pending = true; return; }
    inFlight = true; pending = false; lastSent = Date.now();
    try {
      const body = pixels();
      if (withInsight) {
        if (target != null) body.targetClass = target;
        const insight = await Trilo.request("POST", "/api/digits/insight", body);
        showPrediction(insight.prediction);
        showInsight(insight);
      } else {
        showPrediction(await Trilo.request("POST", "/api/digits/predict", body));
      }
    } catch (err) {
      $("guess").textContent = err.message;
      $("guess").className = "error";
    } finally {
      inFlight = false;
      if (pending && drawing) setTimeout(() => send(false), 50);
    }
  }

  // ---------- showing the answer ----------

  function renderBars(probabilities, ranking) {
    const bars = $("bars");
    if (!bars.children.length)
      for (let d = 0; d < 10; d++) {
        const bar = document.createElement("div");
        bar.className = "bar";
        bar.dataset.digit = d;
        bar.innerHTML = `<span class="pct"></span><div class="fill"></div><span class="digit">${d}</span>`;
        bar.addEventListener("click", () => { target = d; send(true); });
        bars.appendChild(bar);
      }
    for (let d = 0; d < 10; d++) {
      const bar = bars.children[d], p = probabilities ? probabilities[d] : 0;
      bar.querySelector(".fill").style.height = `${(p * 100).toFixed(1)}%`;
      bar.querySelector(".pct").textContent = probabilities ? `${Math.round(p * 100)}%` : "";
      bar.classList.toggle("top", !!ranking && ranking[0] === d);
      bar.classList.toggle("target", target === d);
      bar.dataset.probability = p.toFixed(4);
    }
    bars.dataset.ranking = ranking ? ranking.join(",") : "";
  }

  function showPrediction(p) {
    renderBars(p.probabilities, p.ranking);
    const [a, b] = p.ranking;
    const g = $("guess");
    g.className = "";
    g.innerHTML = `I think it is <b>${a}</b> (${Math.round(p.probabilities[a] * 100)}%), or maybe ${b} (${Math.round(p.probabilities[b] * 100)}%).`;
    g.dataset.top = a;
    const bytes = new Uint8Array(p.input.map(v => Math.round(Math.max(0, Math.min(1, v)) * 255)));
    Trilo.paint($("input28"), bytes, 28, 28, v => [v, v, v]);
  }

  function showInsight(s) {
    $("camClass").textContent = `“${s.camClass}”`;
    $("camLayer").textContent = `(at ${s.camLayer})`;
    // Grad-CAM over the input: grey digit with the heat map blended on top.
    const cam = $("cam"), c = cam.getContext("2d"), n = 28, scale = cam.width / n;
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const ink = s.prediction.input[y * n + x], heat = s.cam[y * n + x];
        const [r, g, b] = Trilo.heat(Math.round(heat * 255));
        const a = 0.35 + 0.5 * heat;
        c.fillStyle = `rgb(${r * a + ink * 255 * (1 - a)},${g * a + ink * 255 * (1 - a)},${b * a + ink * 255 * (1 - a)})`;
        c.fillRect(x * scale, y * scale, scale + 0.5, scale + 0.5);
      }
    const filters = $("filters");
    filters.innerHTML = "";
    for (const f of s.filters) {
      const canvas = document.createElement("canvas");
      Trilo.paint(canvas, new Uint8Array(f.map(v => Math.round((v + 1) * 127.5))), s.filterSize, s.filterSize, Trilo.diverging);
      filters.appendChild(canvas);
    }
    const acts = $("activations");
    acts.innerHTML = "";
    for (const layer of s.activations) {
      const div = document.createElement("div");
      div.className = "maps-layer";
      const title = document.createElement("h3");   // text, never markup: the layer name comes from the model file
      title.textContent = `${layer.layer}: ${layer.channels} maps of ${layer.height}×${layer.width}`;
      div.appendChild(title);
      const maps = document.createElement("div");
      maps.className = "maps";
      for (const m of layer.maps) {
        const canvas = document.createElement("canvas");
        Trilo.paint(canvas, Trilo.bytes(m), layer.width, layer.height, Trilo.heat);
        maps.appendChild(canvas);
      }
      div.appendChild(maps);
      acts.appendChild(div);
    }
  }

  clear();
  pollStatus();
})();
