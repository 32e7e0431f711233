// Self-test of the import-direction rule (scripts/eslint-layers.mjs) through the project's real eslint.config.js:
// virtual files are linted with ESLint's Node API, so each case states a path and an import and the verdict.
// `node --test scripts/lint.test.mjs`; part of `npm test` (stage lint).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layer rule's messages for `code` linted as if it were at `filePath`; any other finding fails the case. */
async function layerErrors(filePath, code) {
  const [result] = await eslint.lintText(code, { filePath });
  const others = result.messages.filter((m) => m.ruleId !== 'layers/imports');
  // A parse error or a stray rule would make "no error" pass for the wrong reason.
  assert.deepEqual(
    others.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`),
    [],
    `${filePath} has findings besides the layer rule`,
  );
  return result.messages.map((m) => m.message);
}

const refused = async (filePath, code, ...expected) => {
  const errors = await layerErrors(filePath, code);
  assert.equal(errors.length, 1, `expected one layer error in ${filePath}, got ${JSON.stringify(errors)}`);
  for (const text of expected) assert.match(errors[0], new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
};
const allowed = async (filePath, code) => assert.deepEqual(await layerErrors(filePath, code), []);

describe('client layers', () => {
  it('a feature may not import another feature', () =>
    refused(
      'client/features/records/x.ts',
      "import { y } from '../messages/y.js';\nexport { y };\n",
      'features/records must not import features/messages',
      'move what both need down',
    ));

  it('a feature may not import the shell', () =>
    refused(
      'client/features/records/x.ts',
      "import { navigate } from '../../app/navigate.js';\nexport { navigate };\n",
      'features/records must not import app/',
    ));

  it('record/ may not import session/ (a higher layer)', () =>
    refused(
      'client/record/x.ts',
      "import { y } from '../session/y.js';\nexport { y };\n",
      'record/ must not import session/',
      'record/ may import only ui/, data/, common/',
    ));

  it('ui/ may not import a feature', () =>
    refused(
      'client/ui/x.ts',
      "import { y } from '../features/home/y.js';\nexport { y };\n",
      'ui/ must not import features/home',
    ));

  it('a feature may import record/ and ui/', () =>
    allowed(
      'client/features/records/x.ts',
      "import { Vault } from '../../record/vault.js';\nimport { y } from '../../ui/y.js';\nexport { Vault, y };\n",
    ));

  it('a dynamic import() counts', () =>
    refused(
      'client/features/records/x.ts',
      "export const load = () => import('../messages/y.js');\n",
      'features/records must not import features/messages',
    ));

  it('re-exports and type-position import() count', async () => {
    await refused('client/features/records/x.ts', "export * from '../messages/y.js';\n", 'features/messages');
    await refused(
      'client/features/records/x.ts',
      "export type T = import('../messages/y.js').T;\n",
      'features/messages',
    );
  });

  it('a worker URL counts like an import', async () => {
    await allowed(
      'client/features/records/x.ts',
      "export const u = new URL('../../data/sync-worker.ts', import.meta.url);\n",
    );
    await refused(
      'client/features/records/x.ts',
      "export const u = new URL('../messages/worker.ts', import.meta.url);\n",
      'features/messages',
    );
  });

  it("a feature's test may import its own feature; the shell may load any feature", async () => {
    await allowed('client/features/records/records.test.ts', "import './records-page.js';\n");
    await allowed('client/app/routes.ts', "export const load = () => import('../features/records/records-page.js');\n");
  });

  it('staff areas are features of their own', async () => {
    await allowed('client/features/staff/refills/x.ts', "import { y } from './y.js';\nexport { y };\n");
    await refused(
      'client/features/staff/refills/x.ts',
      "import { y } from '../messages/y.js';\nexport { y };\n",
      'features/staff/refills must not import features/staff/messages',
    );
  });

  it('a folder that is no layer is named', () =>
    refused('client/ui/x.ts', "import { y } from '../utils/y.js';\nexport { y };\n", 'client/utils/ is not a layer'));
});

describe('page, worker and server', () => {
  const appType = "import type { AppType } from '../../../server/app.js';\nexport type { AppType };\n";

  it('a feature may not import types from the server (it uses the data client)', () =>
    refused(
      'client/features/records/x.ts',
      appType,
      'features/records must not import server/app.ts',
      'only data/ (the typed API client)',
    ));

  it('data/ may import the server types, not its code', async () => {
    await allowed('client/data/x.ts', appType.replace('../../../', '../../'));
    await refused(
      'client/data/x.ts',
      "import { createApp } from '../../server/app.js';\nexport { createApp };\n",
      'data/ must not import server/app.ts',
    );
    // `import { type X }` keeps an `import {} from` in the output under verbatimModuleSyntax: not erased.
    await refused(
      'client/data/x.ts',
      "import { type AppType } from '../../server/app.js';\nexport type { AppType };\n",
    );
  });

  it('sw/ may import record/ and data/, not ui/', async () => {
    await allowed('sw/x.ts', "import { flush } from '../client/record/outbox.js';\nexport { flush };\n");
    await refused('sw/x.ts', "import { y } from '../client/ui/y.js';\nexport { y };\n", 'sw/ must not import ui/');
  });

  it('common/ imports only common/', async () => {
    await allowed('common/x.ts', "import { y } from './y.js';\nexport { y };\n");
    await refused(
      'common/x.ts',
      "import { y } from '../server/y.js';\nexport { y };\n",
      'common/ must not import server/',
    );
    await allowed('server/auth/x.ts', "import { y } from '../../common/y.js';\nexport { y };\n");
  });

  it('the server never imports the page', () =>
    refused('server/x.ts', "import { y } from '../client/ui/y.js';\nexport { y };\n", 'server/ must not import ui/'));

  it('a service may not import the app', () =>
    refused(
      'server/auth/x.ts',
      "import { createApp } from '../app.js';\nexport { createApp };\n",
      'server/auth/ must not import server/app.ts',
    ));

  it('a route may not import another route, only its own sub-app folder', async () => {
    await refused(
      'server/routes/a.ts',
      "import { b } from './b.js';\nexport { b };\n",
      'server/routes/a must not import server/routes/b',
    );
    await allowed('server/routes/factors/index.ts', "import { p } from './passkeys.js';\nexport { p };\n");
    await allowed('server/routes/factors.test.ts', "import { f } from './factors.js';\nexport { f };\n");
    await refused('server/routes/factors/totp.ts', "import { s } from '../session.js';\nexport { s };\n");
  });
});
