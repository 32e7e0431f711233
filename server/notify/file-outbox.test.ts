import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putInOutbox } from './file-outbox.js';

describe('file outbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcl-outbox-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('puts each message in whole, readable only by the portal, leaving nothing half-written behind', async () => {
    const outbox = join(dir, 'mail');
    const big = 'x'.repeat(2_000_000);
    const seen: string[][] = [];
    const writes = Array.from({ length: 5 }, (_, i) => putInOutbox(outbox, `m${i}.eml`, `${i}:${big}`));
    // While they are written, every file the folder shows is already complete.
    for (let i = 0; i < 20; i++) {
      try {
        for (const f of readdirSync(outbox)) {
          const content = readFileSync(join(outbox, f), 'utf8');
          assert.equal(content.length, big.length + 2, `${f} was seen half-written`);
        }
        seen.push(readdirSync(outbox));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writes);
    assert.deepEqual(readdirSync(outbox).sort(), ['m0.eml', 'm1.eml', 'm2.eml', 'm3.eml', 'm4.eml']);
    assert.deepEqual(readdirSync(join(dir, '.writing')), []);
    assert.equal(statSync(join(outbox, 'm0.eml')).mode & 0o777, 0o600);
  });
});
