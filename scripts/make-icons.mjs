// Draws Berth's icon (a ship carrying containers on a blue tile) as PNGs, with no image tools:
// shapes are sampled 4×4 per pixel for smooth edges and written with zlib.
// Run: node scripts/make-icons.mjs   (outputs are committed; rerun after changing the drawing)
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// The drawing, in a unit square: which colour is at (x, y), or null for transparent.
const blue = [47, 129, 247];
const white = [255, 255, 255];
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
function paint(x, y, { tile }) {
  if (tile && !inRoundRect(x, y, 0.02, 0.02, 0.98, 0.98, 0.2)) return null;
  const fg = tile ? white : [64, 72, 84];
  // hull: a trapezoid
  if (y >= 0.62 && y <= 0.76) {
    const t = (y - 0.62) / 0.14;
    if (x >= 0.16 + 0.08 * t && x <= 0.84 - 0.08 * t) return fg;
  }
  // containers: two rows, gaps between boxes
  const boxes = [
    [0.22, 0.46, 0.4, 0.58], [0.42, 0.46, 0.6, 0.58], [0.62, 0.46, 0.78, 0.58],
    [0.3, 0.32, 0.49, 0.44], [0.51, 0.32, 0.7, 0.44],
  ];
  for (const [x0, y0, x1, y1] of boxes) if (inRoundRect(x, y, x0, y0, x1, y1, 0.015)) return fg;
  return tile ? blue : null;
}

function render(size, opts) {
  const out = Buffer.alloc(size * size * 4);
  const s = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < s; sy++) {
        for (let sx = 0; sx < s; sx++) {
          const c = paint((px + (sx + 0.5) / s) / size, (py + (sy + 0.5) / s) / size, opts);
          if (!c) continue;
          r += c[0]; g += c[1]; b += c[2]; a++;
        }
      }
      const i = (py * size + px) * 4;
      if (a) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((255 * a) / (s * s));
      }
    }
  }
  return png(size, out);
}

mkdirSync('build', { recursive: true });
mkdirSync('resources', { recursive: true });
writeFileSync('build/icon.png', render(512, { tile: true }));
writeFileSync('resources/icon.png', render(256, { tile: true }));
writeFileSync('src/renderer/public/favicon.png', render(256, { tile: true }));
writeFileSync('resources/tray-icon.png', render(16, { tile: true }));
writeFileSync('resources/tray-icon@2x.png', render(32, { tile: true }));
console.log('wrote build/icon.png, resources/icon.png, resources/tray-icon.png, resources/tray-icon@2x.png');
