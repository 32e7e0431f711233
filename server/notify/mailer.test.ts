import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createLogger } from '../log.js';
import { createMailer } from './mailer.js';

describe('mail', () => {
  describe('over SMTP (a real server on loopback)', () => {
    let server: SMTPServer;
    let port: number;
    const received: ParsedMail[] = [];
    before(async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, _session, callback) {
          simpleParser(stream).then((m) => {
            received.push(m);
            callback();
          }, callback);
        },
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.server.address() as { port: number }).port;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('delivers the message with its sender, recipient, subject and text', async () => {
      const mailer = createMailer({
        smtpUrl: `smtp://127.0.0.1:${port}`,
        from: '"Demo Clinic" <no-reply@clinic.example>',
        outbox: '/nonexistent',
        logger: createLogger('silent'),
      });
      await mailer.send({
        to: 'pat@example.com',
        subject: 'Confirm your email',
        text: 'Open http://localhost/verify#t=abc',
      });
      assert.equal(received.length, 1);
      const m = received[0]!;
      assert.equal(m.subject, 'Confirm your email');
      assert.equal(m.from?.text, '"Demo Clinic" <no-reply@clinic.example>');
      assert.equal((m.to as { text: string }).text, 'pat@example.com');
      assert.match(m.text ?? '', /http:\/\/localhost\/verify#t=abc/);
    });

    it('reports a server that refuses', async () => {
      const mailer = createMailer({
        smtpUrl: 'smtp://127.0.0.1:1',
        from: 'x@y.z',
        outbox: '/nonexistent',
        logger: createLogger('silent'),
      });
      await assert.rejects(mailer.send({ to: 'a@b.c', subject: 's', text: 't' }), /ECONNREFUSED/);
    });
  });

  describe('without SMTP', () => {
    it('writes an .eml file only its owner can read, and logs the links', async () => {
      const outbox = mkdtempSync(join(tmpdir(), 'mcl-mail-'));
      const logs: Record<string, unknown>[] = [];
      const mailer = createMailer({
        from: 'no-reply@clinic.example',
        outbox,
        logLinks: true,
        logger: createLogger('info', (l) => logs.push(JSON.parse(l))),
      });
      await mailer.send({
        to: 'pat@example.com',
        subject: 'Reset your password',
        text: 'Open http://localhost:8080/reset#t=xyz within an hour.',
      });
      const files = readdirSync(outbox);
      assert.equal(files.length, 1);
      assert.equal(statSync(join(outbox, files[0]!)).mode & 0o777, 0o600);
      const parsed = await simpleParser(readFileSync(join(outbox, files[0]!)));
      assert.equal(parsed.subject, 'Reset your password');
      assert.match(parsed.text ?? '', /reset#t=xyz/);
      assert.equal(logs[0]!.links, 'http://localhost:8080/reset#t=xyz');
    });
  });

  it('two mailers of one process writing at the same moment never pick the same file (a CLI test lost a mail so)', async () => {
    const outbox = join(mkdtempSync(join(tmpdir(), 'mcl-two-mailers-')), 'mail');
    const make = () => createMailer({ from: 'x@y.z', outbox, logger: createLogger('silent') });
    const [a, b] = [make(), make()];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).send({ to: `p${i}@example.com`, subject: 's', text: 't' })),
    );
    assert.equal(readdirSync(outbox).length, 10);
  });
});
