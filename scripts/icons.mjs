// Draws the app's icons (a white cross on the clinic's colour) as PNG files, in the sizes installers ask for:
// 192 and 512 "any" (rounded square on transparent), 192 and 512 "maskable" (full bleed, the cross inside the
// 80 % safe zone), and a 180 px apple-touch-icon. Pure pixels via pngjs: no image tool to install.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const SAMPLES = 4; // supersampling per axis, for smooth edges

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Coverage of the icon shape at (x, y) in unit coordinates: 0 = outside, 1 = background, 2 = cross. */
function shapeAt(x, y, { maskable }) {
  const inCross = (u, v, arm, half) =>
    (Math.abs(u) <= half && Math.abs(v) <= arm) || (Math.abs(v) <= half && Math.abs(u) <= arm);
  const u = x - 0.5;
  const v = y - 0.5;
  if (maskable) return inCross(u, v, 0.24, 0.08) ? 2 : 1; // safe zone: a circle of radius 0.4
  const r = 0.18; // corner radius of the rounded square
  const m = 0.04; // margin
  const dx = Math.max(Math.abs(u) - (0.5 - m - r), 0);
  const dy = Math.max(Math.abs(v) - (0.5 - m - r), 0);
  if (dx * dx + dy * dy > r * r) return 0;
  return inCross(u, v, 0.3, 0.1) ? 2 : 1;
}

export function drawIcon(size, colour, options) {
  const png = new PNG({ width: size, height: size });
  const [br, bg, bb] = hexToRgb(colour);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const s = shapeAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size, options);
          if (s === 1) {
            r += br;
            g += bg;
            b += bb;
            a += 255;
          } else if (s === 2) {
            r += 255;
            g += 255;
            b += 255;
            a += 255;
          }
        }
      }
      const n = SAMPLES * SAMPLES;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      png.data[i] = alpha ? Math.round((r / n) * (255 / alpha)) : 0;
      png.data[i + 1] = alpha ? Math.round((g / n) * (255 / alpha)) : 0;
      png.data[i + 2] = alpha ? Math.round((b / n) * (255 / alpha)) : 0;
      png.data[i + 3] = Math.round(alpha);
    }
  }
  return PNG.sync.write(png);
}

export function writeIcons(dir, colour) {
  mkdirSync(dir, { recursive: true });
  const files = {
    'icon-192.png': [192, { maskable: false }],
    'icon-512.png': [512, { maskable: false }],
    'maskable-192.png': [192, { maskable: true }],
    'maskable-512.png': [512, { maskable: true }],
    'apple-touch-icon.png': [180, { maskable: true }],
  };
  for (const [name, [size, options]] of Object.entries(files))
    writeFileSync(join(dir, name), drawIcon(size, colour, options));
  return Object.keys(files);
}
