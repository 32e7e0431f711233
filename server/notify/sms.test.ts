import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log.js';
import { createSmsSender, maskPhone, SmsError } from './sms.js';

const logs: Record<string, unknown>[] = [];
const logger = createLogger('debug', (line) => logs.push(JSON.parse(line)));

describe('text-message sender', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcl-sms-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each text to a file under the outbox when no provider is configured', async () => {
    const sms = createSmsSender({ outbox: join(dir, 'sms'), logger });
    await sms.send({ to: '+15555550123', text: 'Your code is 123456' });
    const files = readdirSync(join(dir, 'sms'));
    assert.equal(files.length, 1);
    assert.equal(readFileSync(join(dir, 'sms', files[0]!), 'utf8'), 'To: +15555550123\n\nYour code is 123456\n');
    const line = logs.find((l) => l.msg === 'text written to file (no SMS_PROVIDER_URL)')!;
    assert.equal(line.to, '+1••••••0123');
    assert.equal(line.text, undefined, 'codes are not logged unless asked');
  });

  it('posts JSON with a bearer token to a configured provider over a real HTTP exchange', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    let status = 202;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const sms = createSmsSender({
        providerUrl: `http://127.0.0.1:${port}/send`,
        providerToken: 'secret-token',
        outbox: join(dir, 'unused'),
        logger,
      });
      await sms.send({ to: '+447700900123', text: 'Your code is 654321' });
      assert.equal(received.length, 1);
      assert.equal(received[0]!.headers.authorization, 'Bearer secret-token');
      assert.deepEqual(JSON.parse(received[0]!.body), { to: '+447700900123', text: 'Your code is 654321' });
      status = 500;
      await assert.rejects(sms.send({ to: '+447700900123', text: 'x' }), SmsError);
    } finally {
      server.close();
    }
    const down = createSmsSender({ providerUrl: `http://127.0.0.1:${port}/send`, outbox: dir, logger });
    await assert.rejects(down.send({ to: '+447700900123', text: 'x' }), /could not be reached/);
  });

  it('masks a number: enough to recognise, not enough to use (reading numbers: common/phone.test.ts)', () => {
    assert.equal(maskPhone('+447700900123'), '+4•••••••0123');
  });
});
