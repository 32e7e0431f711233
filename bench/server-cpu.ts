// Server CPU per request for a small JSON route: the portal's Hono app with all its middleware (security headers,
// request id, logging, no-store) serving /clinic.json, versus raw node:http serving the same bytes, in the same run.
// Each server runs in its own child process and reports its own CPU time, so the load generator's work is not
// counted. Prints figures and the ratio; asserts nothing.
//   node scripts/run-ts.mjs bench/server-cpu.ts [requests]
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { Agent, request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/log.js';
import { openStore } from '../server/store/store.js';
import { systemClock } from '../server/clock.js';
import { createSmsSender } from '../server/notify/sms.js';
import { createMailer } from '../server/notify/mailer.js';

type Mode = 'raw' | 'hono';

async function serveMode(mode: Mode): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcl-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' });
  const body = JSON.stringify(config.clinic);
  let port: number;
  if (mode === 'raw') {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  } else {
    const store = await openStore(config.databaseUrl);
    const logger = createLogger('warn');
    const mailer = createMailer({ from: config.mailFrom, outbox: join(dataDir, 'mail'), logger });
    const sms = createSmsSender({ outbox: join(dataDir, 'sms'), logger });
    const app = createApp({ store, config, clock: systemClock, logger, mailer, sms });
    port = await new Promise<number>((r) =>
      serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (i) => r(i.port)),
    );
  }
  let mark = process.cpuUsage();
  process.on('message', (m: string) => {
    if (m === 'mark') mark = process.cpuUsage();
    if (m === 'read') {
      const d = process.cpuUsage(mark);
      process.send!({ cpuMicros: d.user + d.system });
    }
    if (m === 'exit') process.exit(0);
  });
  process.send!({ port, bytes: Buffer.byteLength(body) });
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

async function load(port: number, count: number, concurrency: number, path: string): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end();
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
}

async function measure(mode: Mode, requests: number) {
  const child = fork(process.argv[1]!, [`serve-${mode}`], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port, bytes } = await new Promise<{ port: number; bytes: number }>((r) =>
    child.once('message', (m) => r(m as never)),
  );
  const path = mode === 'hono' ? '/clinic.json' : '/';
  await load(port, Math.min(2000, requests), 8, path); // warm-up: JIT and connections
  child.send('mark');
  const started = performance.now();
  await load(port, requests, 8, path);
  const wallMs = performance.now() - started;
  const { cpuMicros } = await ask<{ cpuMicros: number }>(child, 'read');
  child.send('exit');
  return { mode, bytes, cpuPerRequestMicros: cpuMicros / requests, requestsPerSecond: (requests / wallMs) * 1000 };
}

const arg = process.argv[2];
if (arg === 'serve-raw' || arg === 'serve-hono') {
  await serveMode(arg.slice(6) as Mode);
} else {
  const requests = Number(arg ?? 20000);
  const raw = await measure('raw', requests);
  const hono = await measure('hono', requests);
  for (const r of [raw, hono]) {
    console.log(
      `${r.mode.padEnd(5)} ${r.bytes} B body: ${r.cpuPerRequestMicros.toFixed(1)} µs CPU/request, ${Math.round(r.requestsPerSecond)} req/s`,
    );
  }
  console.log(
    `ratio hono app / raw node:http, CPU per request: ${(hono.cpuPerRequestMicros / raw.cpuPerRequestMicros).toFixed(2)}x`,
  );
}
