// Runs node:test files written in TypeScript on Node 20 (which cannot run .ts): bundles each with esbuild
// (dependencies external) into .build/, then `node --test` on the bundles. Prints the spec report and returns
// the counts read from a TAP copy of the same run.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { nodeBundle } from './esbuild-node.mjs';

export function findTests(root, dirs) {
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.test.ts')) found.push(relative(root, path));
    }
  };
  for (const d of dirs) walk(join(root, d));
  return found.sort();
}

export async function runNodeTests({ root, name, dirs, concurrency, filter }) {
  const files = findTests(root, dirs).filter((f) => !filter || f.includes(filter));
  if (files.length === 0) return { passed: 0, failed: 1, note: `no ${name} tests found` };
  const outdir = join(root, '.build', name);
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build(nodeBundle(root, { entryPoints: files, outdir, outbase: root }));
  const bundles = files.map((f) => join(outdir, f.replace(/\.ts$/, '.js')));
  return runTestFiles({ root, name, files: bundles, concurrency });
}

/** `node --test` on files Node runs as they are (.mjs, or bundles): the spec report, and the counts from TAP. */
export async function runTestFiles({ root, name, files, concurrency }) {
  const tap = join(root, '.build', `${name}.tap`);
  rmSync(tap, { force: true }); // counts are never read from an earlier run
  const args = [
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${concurrency}`,
    // A test that hangs fails by name after this long, instead of holding the whole run.
    '--test-timeout=240000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ];
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  let failed = count('fail') + count('cancelled');
  if (code !== 0 && failed === 0) failed = 1; // the runner failed without counting a test: never report it green
  return { passed, failed };
}
