import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';
import type { CliIO } from './cli-command.js';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { env, out: (l) => out.push(l), err: (l) => err.push(l) };
  return { io: value, out, err };
}

describe('operator CLI', () => {
  it('lists its commands with --help', async () => {
    const t = io();
    assert.equal(await runCli(['--help'], t.io), 0);
    assert.match(t.out.join('\n'), /Usage: npm run cli -- <command>/);
    assert.match(t.out.join('\n'), /migrate/);
  });

  it('refuses an unknown command with exit code 2', async () => {
    const t = io();
    assert.equal(await runCli(['launch-rockets'], t.io), 2);
    assert.match(t.err.join('\n'), /Unknown command "launch-rockets"/);
  });

  it('migrates a new database, then finds it up to date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcl-cli-'));
    try {
      const first = io({ DATA_DIR: dir });
      assert.equal(await runCli(['migrate'], first.io), 0);
      assert.match(first.out.join('\n'), /applied: 0001-app-meta/);
      const second = io({ DATA_DIR: dir });
      assert.equal(await runCli(['migrate'], second.io), 0);
      assert.deepEqual(second.out, ['the database is up to date']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a database it cannot open and exits 1', async () => {
    const t = io({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    assert.equal(await runCli(['migrate'], t.io), 1);
    assert.match(t.err.join('\n'), /^migrate: cannot reach PostgreSQL/);
  });

  it('prints the configuration without the database password', async () => {
    const t = io({ DATABASE_URL: 'postgres://app:s3cret@db/portal' });
    assert.equal(await runCli(['config'], t.io), 0);
    assert.ok(!t.out.join('\n').includes('s3cret'));
  });
});
