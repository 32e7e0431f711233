import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';
import type { CliIO } from './cli-command.js';
import { countEntries, readJson, sharedFiles } from './testing/fhir-data.js';
import { fhirValidator } from './fhir/validator.js';
import { openStore } from './store/store.js';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { env, out: (l) => out.push(l), err: (l) => err.push(l) };
  return { io: value, out, err };
}

describe('operator CLI: import and export', () => {
  let dir: string;
  let env: Record<string, string>;
  const ips = sharedFiles('ips');
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcl-cli-fhir-'));
    env = { DATA_DIR: join(dir, 'data') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a folder and prints one JSON object per file with --json', async () => {
    const folder = join(dir, 'ips');
    mkdirSync(folder);
    for (const f of ips) copyFileSync(f, join(folder, f.split('/').pop()!));
    const t = io(env);
    assert.equal(await runCli(['import', folder, '--json'], t.io), 0, t.err.join('\n'));
    assert.equal(t.out.length, 3);
    const lines = t.out.map(
      (l) =>
        JSON.parse(l) as { file: string; patients: string[]; imported: Record<string, number>; rejected: unknown[] },
    );
    lines.forEach((line, i) => {
      assert.equal(line.file, join(folder, ips[i]!.split('/').pop()!));
      assert.deepEqual(line.imported, countEntries(readJson(ips[i]!)));
      assert.deepEqual(line.rejected, []);
      assert.equal(line.patients.length, 1);
    });
  });

  it('prints a summary per file, names rejected entries, and exits 1 when a file loaded nothing', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, 'not json at all');
    const partly = join(dir, 'partly.json');
    const bundle = readJson(ips[2]!);
    bundle.entry[3]!.resource.gender = 'robot';
    writeFileSync(partly, JSON.stringify(bundle));
    const t = io(env);
    assert.equal(await runCli(['import', partly, bad], t.io), 1);
    assert.match(
      t.out[0]!,
      /partly\.json: document bundle, 8 entries: 6 loaded \(0 new, 0 changed, 6 unchanged\), 2 rejected; patient 244ad7c3-/,
    );
    // Entry 3 is an Organization, which has no gender; the Composition that names it as attester goes with it.
    assert.ok(
      t.out.includes(
        '  rejected entry 3 (Organization) at entry[3].resource.gender: is not an element FHIR R4 defines here',
      ),
      t.out.join('\n'),
    );
    assert.ok(
      t.out.includes(
        '  rejected entry 0 (Composition) at entry[0].resource.attester[1].party.reference: it refers to entry 3, which could not be loaded',
      ),
      t.out.join('\n'),
    );
    assert.match(t.err.join('\n'), /bad\.json: not loaded: it is not JSON/);
  });

  it('refuses a 50 MB bundle with a clear message, and raises the limit on request', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024);
    const t = io(env);
    assert.equal(await runCli(['import', big, '--json'], t.io), 1);
    assert.deepEqual(JSON.parse(t.out[0]!), {
      file: big,
      error:
        'it is 50.0 MB, over the 32.0 MB a bundle may have; split it into smaller bundles, or raise the limit with --max-mb',
      patients: [],
      imported: {},
      rejected: [],
    });
    const raised = io(env);
    assert.equal(await runCli(['import', big, '--max-mb', '60'], raised.io), 1);
    assert.match(raised.err.join('\n'), /big\.json: not loaded: it is not JSON/);
  });

  it('exports a patient that validates, and re-imports it with nothing changed', async () => {
    const out = join(dir, 'export.json');
    const patientId = readJson(ips[0]!).entry.find((e) => e.resource.resourceType === 'Patient')!.resource.id as string;
    const t = io(env);
    assert.equal(await runCli(['export', patientId, '--out', out], t.io), 0, t.err.join('\n'));
    assert.match(t.out[0]!, new RegExp(`^wrote 20 resources for patient ${patientId} to `));
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as {
      resourceType: string;
      type: string;
      entry: { fullUrl: string }[];
    };
    assert.equal(bundle.type, 'collection');
    assert.equal(fhirValidator().validate(bundle), undefined);
    assert.ok(bundle.entry.every((e) => e.fullUrl.startsWith('http://localhost:8080/fhir/')));
    const again = io(env);
    assert.equal(await runCli(['import', out, '--json'], again.io), 0);
    const line = JSON.parse(again.out[0]!) as { created: number; updated: number; unchanged: number };
    assert.deepEqual([line.created, line.updated, line.unchanged], [0, 0, 20]);

    const stdout = io(env);
    assert.equal(await runCli(['export', patientId], stdout.io), 0);
    assert.equal((JSON.parse(stdout.out.join('\n')) as { entry: unknown[] }).entry.length, 20);

    // Imports that wrote something and every export are in the audit log (SECURITY.md, access control).
    const store = await openStore(join(env.DATA_DIR!, 'mayocarelink.sqlite'));
    try {
      const rows = await store.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'on_behalf_of', 'target'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        rows.filter((r) => r.action === 'record.export'),
        [
          { actor: 'cli', action: 'record.export', on_behalf_of: patientId, target: null },
          { actor: 'cli', action: 'record.export', on_behalf_of: patientId, target: null },
        ],
      );
      assert.deepEqual(
        rows.filter((r) => r.action === 'record.import').map((r) => r.target),
        ips.map((f) => f.split('/').pop()),
      );
    } finally {
      await store.close();
    }
  });

  it('explains what it cannot do', async () => {
    const missing = io(env);
    assert.equal(await runCli(['export', 'nobody'], missing.io), 1);
    assert.deepEqual(missing.err, ['export: there is no Patient with id "nobody"']);
    const usage = io(env);
    assert.equal(await runCli(['import'], usage.io), 2);
    assert.match(usage.err[0]!, /usage: npm run cli -- import <file\|folder>/);
    const unknown = io(env);
    assert.equal(await runCli(['import', 'x.json', '--frobnicate'], unknown.io), 2);
    assert.match(unknown.err[0]!, /^import: Unknown option '--frobnicate'/);
    const nothing = io(env);
    assert.equal(await runCli(['import', join(dir, 'no-such-folder')], nothing.io), 1);
    assert.match(nothing.err[0]!, /no-such-folder: not loaded: no such file or folder/);
  });
});
