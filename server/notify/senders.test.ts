import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { createSenders } from './senders.js';

describe('the senders npm start wires', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcl-senders-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const origin of ['http://localhost:3000', 'https://portal.example.org']) {
    it(`keeps a text's sign-in code in the file and out of the log (${origin})`, async () => {
      const lines: string[] = [];
      const logger = createLogger('debug', (line) => lines.push(line));
      const dataDir = join(dir, new URL(origin).hostname);
      const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_ORIGIN: origin });
      const { sms } = createSenders(config, logger);
      await sms.send({ to: '+15555550123', text: 'Your mayocarelink code is 482913' });
      const [file] = readdirSync(join(dataDir, 'sms'));
      assert.match(readFileSync(join(dataDir, 'sms', file!), 'utf8'), /482913/);
      assert.ok(lines.length > 0, 'where the text went is logged');
      for (const line of lines) assert.doesNotMatch(line, /482913/);
    });
  }
});
