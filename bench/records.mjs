// `npm run bench` (part): the local record in Chromium against raw IndexedDB on the same data, in one run.
// Prints figures and ratios ([5/8]: ingest of 10,000 resources; newest 50 of 100,000; paint of those 50; the
// longest main-thread task while storing). Nothing is asserted: benchmarks inform, tests decide.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../scripts/chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['bench/records-browser.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  write: false,
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
});
const script = bundle.outputFiles[0].text;
// A page on localhost (a secure context: WebCrypto and IndexedDB as in the app).
const server = createServer((req, res) => {
  if (req.url === '/bench.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
  res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>bench</title><body></body>');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage();
  await page.goto(`http://localhost:${server.address().port}/?page=${process.env.BENCH_PAGE ?? 500}`);
  const r = await page.evaluate(async () => (await import('/bench.js')).run());
  const ms = (n) => `${n.toFixed(1)} ms`;
  console.log('local record (Chromium, same data, same run):');
  console.log(
    `  ingest 10,000 (best of 3): raw IndexedDB one transaction (same key and indexes, plain objects) ${ms(r.rawIngest)}, vault (encrypt + index, ${process.env.BENCH_PAGE ?? 500} a page, as the sync stores) ${ms(r.vaultIngest)}: ${(r.vaultIngest / r.rawIngest).toFixed(2)}x`,
  );
  console.log(
    `  longest task over 50 ms while storing on the main thread: ${r.longest ? ms(r.longest) : 'none'} (the app stores from a worker besides)`,
  );
  console.log(
    `  50 of 100,000 by date: raw getAll(range, 50) ${ms(r.rawQuery)}, vault (query + decrypt) ${ms(r.vaultQuery)}: ${(r.vaultQuery / r.rawQuery).toFixed(2)}x`,
  );
  console.log(`  paint of those 50 from the vault: ${ms(r.paint)}`);
} finally {
  await browser.close();
  server.close();
}
