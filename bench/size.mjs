// `npm run size`: the gzip size of what the first paint loads (the shell's entry chunk, the chunks it imports
// statically, and the stylesheet), beside a baseline measured in the same run: Lit alone, minified and gzipped.
// Figures and a ratio are printed; nothing is asserted.
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pub = join(root, 'dist', 'public');
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

const { files } = JSON.parse(readFileSync(join(root, 'dist', 'first-paint.json'), 'utf8'));
let firstPaint = 0;
for (const f of files) {
  const size = gz(readFileSync(join(pub, f)));
  firstPaint += size;
  console.log(`  ${f.padEnd(40)} ${kib(size).padStart(10)} gz`);
}
const allJs = readdirSync(join(pub, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .reduce((n, f) => n + gz(readFileSync(join(pub, 'assets', f))), 0);

const lit = await esbuild.build({
  stdin: { contents: "export * from 'lit';", resolveDir: root, loader: 'js' },
  bundle: true,
  minify: true,
  format: 'esm',
  write: false,
  logLevel: 'silent',
});
const litSize = gz(Buffer.from(lit.outputFiles[0].contents));

console.log(`first paint: ${firstPaint} bytes (${kib(firstPaint)}) gzip`);
console.log(`all route code: ${allJs} bytes (${kib(allJs)}) gzip`);
console.log(`baseline, lit alone: ${litSize} bytes (${kib(litSize)}) gzip`);
console.log(`ratio first paint / lit: ${(firstPaint / litSize).toFixed(2)}x`);
