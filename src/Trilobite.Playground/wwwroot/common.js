// Shared helpers of the playground pages: JSON requests, base64 bytes, colour maps.
"use strict";

const Trilo = {
  /** POST/PUT/GET JSON; resolves with the parsed answer or rejects with the server's error message. */
  async request(method, url, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!response.ok) {
      const error = new Error((data && data.error) || `${response.status} ${response.statusText}`);
      error.status = response.status;
      throw error;
    }
    return data;
  },

  /** A number from the server: a diverged network's values arrive as the strings "NaN", "Infinity", "-Infinity". */
  num(v) { return typeof v === "number" ? v : Number(v); },

  /** A loss for display: three decimals, or "diverged" once it is no longer a finite number. */
  lossText(v) { const x = Trilo.num(v); return Number.isFinite(x) ? x.toFixed(3) : "diverged"; },

  /** base64 → Uint8Array */
  bytes(b64) {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  },

  /** Uint8Array → base64 */
  base64(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  },

  /** TensorFlow Playground's diverging scale: byte 0 = orange (−1), 127.5 = light grey (0), 255 = blue (+1). */
  diverging(b) {
    const v = b / 127.5 - 1;
    const mid = [232, 234, 235], neg = [245, 147, 34], pos = [8, 119, 189];
    const end = v < 0 ? neg : pos, t = Math.abs(v);
    return [mid[0] + (end[0] - mid[0]) * t, mid[1] + (end[1] - mid[1]) * t, mid[2] + (end[2] - mid[2]) * t];
  },

  /** A perceptual "inferno-like" ramp for activations and Grad-CAM: byte 0 = black … 255 = pale yellow. */
  heat(b) {
    const t = b / 255;
    const stops = [[0, 0, 4], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164]];
    const x = t * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
    return [0, 1, 2].map(k => stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f);
  },

  /** Paints n×m bytes into a canvas of that native size through a colour function. */
  paint(canvas, bytes, width, height, color) {
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const [r, g, b] = color(bytes[i]);
      image.data[i * 4] = r; image.data[i * 4 + 1] = g; image.data[i * 4 + 2] = b; image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  },
};
