import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runServerToExit } from './harness.js';

// The built server refuses to start on a setting it cannot use, with one line that names the setting.
describe('start-up with bad settings', () => {
  const oneLine = (stderr: string) => {
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    return lines[0]!;
  };

  it('an unreachable PostgreSQL', async () => {
    const r = await runServerToExit({
      DATABASE_URL: 'postgres://portal:pw@127.0.0.1:1/portal',
      PORT: String(await freePort()),
    });
    assert.equal(r.code, 1);
    const line = oneLine(r.stderr);
    assert.match(line, /^mayocarelink cannot start: cannot reach PostgreSQL: .* Check DATABASE_URL/);
    assert.ok(!line.includes(':pw@'), 'the password was printed');
  });

  it('a SQLite file that cannot be created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcl-bad-'));
    writeFileSync(join(dir, 'file'), '');
    const r = await runServerToExit({ DATA_DIR: join(dir, 'file', 'data'), PORT: String(await freePort()) });
    assert.equal(r.code, 1);
    assert.match(
      oneLine(r.stderr),
      /^mayocarelink cannot start: cannot open the SQLite database .* Check DATABASE_URL .* or DATA_DIR\.$/,
    );
  });

  it('an unknown database kind, a bad port, an insecure public origin', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { DATABASE_URL: 'mysql://root@localhost/portal' },
        /DATABASE_URL must be postgres:\/\/… or the path of a SQLite file/,
      ],
      [{ PORT: 'eighty' }, /PORT must be a whole number/],
      [{ PUBLIC_ORIGIN: 'http://portal.clinic.example' }, /PUBLIC_ORIGIN must use https/],
    ];
    for (const [env, message] of cases) {
      const r = await runServerToExit({
        PORT: String(await freePort()),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'mcl-d-')),
        ...env,
      });
      assert.equal(r.code, 1, JSON.stringify(env));
      assert.match(oneLine(r.stderr), message);
    }
  });
});
