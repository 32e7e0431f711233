import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offsetFileClock } from './clock.js';
import { loadConfig } from './config.js';

describe('the moved clock for tests (TEST_CLOCK_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcl-clock-'));
  const file = join(dir, 'offset');
  const move = (ms: number) => {
    writeFileSync(`${file}.new`, String(ms));
    renameSync(`${file}.new`, file);
  };

  it('is the system clock moved by the milliseconds in the file, read again at every call', () => {
    move(0);
    const clock = offsetFileClock(file);
    const drift = (expected: number) => Math.abs(clock.now().getTime() - (Date.now() + expected));
    assert.ok(drift(0) < 1000);
    move(3 * 86_400_000);
    assert.ok(drift(3 * 86_400_000) < 1000, 'moved three days ahead without a restart');
    move(-3600_000);
    assert.ok(drift(-3600_000) < 1000);
    move(Number.NaN);
    assert.throws(() => clock.now(), /must hold a whole number of milliseconds; it holds "NaN"/);
  });

  it('is taken only with NODE_ENV=test on localhost, and only from a file that holds a number', () => {
    move(0);
    assert.equal(loadConfig({}).testClockFile, undefined);
    assert.equal(loadConfig({ TEST_CLOCK_FILE: file, NODE_ENV: 'test' }).testClockFile, file);
    for (const NODE_ENV of [undefined, 'production', 'development', 'TEST'])
      assert.throws(
        () => loadConfig({ TEST_CLOCK_FILE: file, NODE_ENV }),
        /TEST_CLOCK_FILE moves the server's clock and is for tests only: it needs NODE_ENV=test/,
      );
    assert.throws(
      () => loadConfig({ TEST_CLOCK_FILE: file, NODE_ENV: 'test', PUBLIC_ORIGIN: 'https://portal.clinic.example' }),
      /TEST_CLOCK_FILE is for tests only and needs a PUBLIC_ORIGIN on localhost/,
    );
    assert.throws(
      () => loadConfig({ TEST_CLOCK_FILE: join(dir, 'missing'), NODE_ENV: 'test' }),
      /TEST_CLOCK_FILE: ENOENT/,
    );
    writeFileSync(file, 'tomorrow');
    assert.throws(
      () => loadConfig({ TEST_CLOCK_FILE: file, NODE_ENV: 'test' }),
      /TEST_CLOCK_FILE: .* must hold a whole number of milliseconds; it holds "tomorrow"/,
    );
  });
});
