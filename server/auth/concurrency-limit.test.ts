import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BusyError, ConcurrencyLimit } from './concurrency-limit.js';

describe('concurrency limit', () => {
  it('never runs more than the limit at once, and runs every queued job', async () => {
    const limit = new ConcurrencyLimit(2, 100);
    let now = 0;
    let peak = 0;
    const job = async (i: number) => {
      now++;
      peak = Math.max(peak, now);
      await new Promise((r) => setTimeout(r, 2));
      now--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => limit.run(() => job(i))));
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.equal(peak, 2);
    assert.deepEqual(limit.stats, { running: 0, waiting: 0 });
  });

  it('refuses at once when the queue is full', async () => {
    const limit = new ConcurrencyLimit(1, 1);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = limit.run(() => gate);
    const second = limit.run(async () => 'second');
    await assert.rejects(
      limit.run(async () => 'third'),
      BusyError,
    );
    release();
    await first;
    assert.equal(await second, 'second');
  });

  it('frees its slot when a job fails', async () => {
    const limit = new ConcurrencyLimit(1, 0);
    await assert.rejects(
      limit.run(async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await limit.run(async () => 'ok'), 'ok');
  });
});
