// `npm run build`: the client (code-split ES modules; the first paint loads only the shell), the service worker
// (TypeScript bundled, then workbox-build injectManifest precaching the shell and every route chunk), and the
// server (bundled for Node 20, dependencies left external). Output: dist/public (served) and dist/server.
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { injectManifest } from 'workbox-build';
import { writeIcons } from './icons.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pub = join(dist, 'public');
const production = process.env.NODE_ENV !== 'development';
const THEME = '#0b5d66';

export async function build() {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(pub, { recursive: true });
  writeIcons(join(pub, 'icons'), THEME);

  // The address a built file is served at.
  const url = (file) => '/' + relative(pub, join(root, file)).split('\\').join('/');
  // A module file of its own (no shared chunks), built from one entry; returns its output path.
  const standalone = async (name, entry) => {
    const built = await esbuild.build({
      absWorkingDir: root,
      entryPoints: { [name]: entry },
      outdir: join(pub, 'assets'),
      entryNames: '[name]-[hash]',
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: production,
      legalComments: 'none',
      metafile: true,
      tsconfig: 'tsconfig.json',
      define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
      logLevel: 'warning',
    });
    return Object.keys(built.metafile.outputs).find((o) => o.endsWith('.js'));
  };
  // The sync worker ([5/8]); the page learns its hashed name through a define.
  const workerUrl = url(await standalone('sync-worker', 'client/record/sync-worker.ts'));
  // The export worker ([4/11]): the FHIR Bundle and the IPS are made from the local record off the main thread.
  const exportWorkerUrl = url(await standalone('export-worker', 'client/record/export-worker.ts'));
  // The opened page's code, asked for before the shell's code runs (client/preload.ts): one small file.
  const preloadJs = await standalone('preload', 'client/preload.ts');

  const client = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'client/main.ts', app: 'client/app.css' },
    outdir: join(pub, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: production,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    tsconfig: 'tsconfig.json',
    define: {
      'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'),
      __SYNC_WORKER_URL__: JSON.stringify(workerUrl),
      __EXPORT_WORKER_URL__: JSON.stringify(exportWorkerUrl),
    },
    logLevel: 'warning',
  });
  const outputs = client.metafile.outputs;
  const entryOf = (source) => Object.keys(outputs).find((o) => outputs[o].entryPoint === source);
  const mainJs = entryOf('client/main.ts');
  const appCss = Object.keys(outputs).find((o) => o.endsWith('.css'));
  const preload = outputs[mainJs].imports.filter((i) => i.kind === 'import-statement').map((i) => url(i.path));
  // Each route's code in one round trip instead of one per level of imports: for every route of client/app/routes.ts,
  // the URLs of its module and of all it imports (less what the first paint loads), which the router preloads.
  const firstPaint = new Set([
    mainJs,
    ...outputs[mainJs].imports.filter((i) => i.kind === 'import-statement').map((i) => i.path),
  ]);
  const staticImports = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const i of outputs[file].imports) if (i.kind === 'import-statement') staticImports(i.path, seen);
    return seen;
  };
  const routeModules = {};
  const table = readFileSync(join(root, 'client/app/routes.ts'), 'utf8');
  // One route's object may span lines (the formatter's choice): from its path to its `load`, within one object.
  for (const [, path, module] of table.matchAll(/path: '([^']+)'[^}]*?load: \(\) => import\('([^']+)'\)/g)) {
    const chunk = entryOf(join('client/app', module).split('\\').join('/').replace(/\.js$/, '.ts'));
    if (!chunk) throw new Error(`build: no chunk for the route ${path} (${module})`);
    routeModules[path] = [...staticImports(chunk)].filter((f) => !firstPaint.has(f)).map(url);
  }
  // Every route of the table must be listed, or the router would fetch its code one level at a time unnoticed.
  const declared = table.match(/path: '/g)?.length ?? 0;
  if (Object.keys(routeModules).length !== declared) {
    throw new Error(`build: found the code of ${Object.keys(routeModules).length} of ${declared} routes in routes.ts`);
  }
  const html = readFileSync(join(root, 'index.html'), 'utf8')
    .replace(
      '<script type="module" src="/client/main.ts"></script>',
      `<script type="module" src="${url(preloadJs)}"></script>\n    <script type="module" src="${url(mainJs)}"></script>`,
    )
    .replace('/client/app.css', url(appCss))
    .replace(
      '</head>',
      preload.map((p) => `  <link rel="modulepreload" href="${p}" />\n`).join('') +
        `  <script type="application/json" id="mcl-route-modules">${JSON.stringify(routeModules)}</script>\n  </head>`,
    );
  writeFileSync(join(pub, 'index.html'), html);
  // What the first paint loads, for `npm run size`.
  writeFileSync(
    join(dist, 'first-paint.json'),
    JSON.stringify({ files: [url(preloadJs), url(mainJs), ...preload, url(appCss)] }, null, 2),
  );

  const swTemp = join(dist, 'sw.src.js');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['sw/sw.ts'],
    outfile: swTemp,
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: production,
    tsconfig: 'sw/tsconfig.json',
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    logLevel: 'warning',
  });
  const precache = await injectManifest({
    swSrc: swTemp,
    swDest: join(pub, 'sw.js'),
    globDirectory: pub,
    globPatterns: ['index.html', 'assets/**/*.{js,css}', 'icons/*.png'],
    // Hashed file names need no revision query: the name changes when the content does.
    dontCacheBustURLsMatching: /^assets\/.+-[A-Z0-9]{8}\.(js|css)$/,
  });
  rmSync(swTemp);
  for (const warning of precache.warnings) console.warn('workbox:', warning);

  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'server/main.ts', cli: 'server/cli-main.ts' },
    outdir: join(dist, 'server'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  });

  precompress(pub);
  const kib = (precache.size / 1024).toFixed(1);
  console.log(`built dist/ in ${Date.now() - started} ms: ${precache.count} files precached (${kib} KiB)`);
}

/** Writes .br and .gz beside each text asset; the server sends them to browsers that accept them. */
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) precompress(path);
    else if (/\.(js|css|html|json|webmanifest)$/.test(name)) {
      const data = readFileSync(path);
      writeFileSync(path + '.gz', gzipSync(data, { level: 9 }));
      writeFileSync(path + '.br', brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
