import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from './log.js';

describe('logger', () => {
  it('writes one JSON object per line at or above its level', () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      (l) => lines.push(l),
      () => new Date('2026-01-01T00:00:00Z'),
    );
    log.debug('hidden');
    log.info('shown', { status: 200 });
    log.error('bad', { path: '/x' });
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      [
        { time: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'shown', status: 200 },
        { time: '2026-01-01T00:00:00.000Z', level: 'error', msg: 'bad', path: '/x' },
      ],
    );
  });

  it('writes nothing when silent', () => {
    const lines: string[] = [];
    const log = createLogger('silent', (l) => lines.push(l));
    log.error('x');
    assert.equal(lines.length, 0);
  });
});
