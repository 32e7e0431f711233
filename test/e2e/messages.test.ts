import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { samplePdf } from '../../server/testing/files.js';
import {
  axeViolations,
  enrolStaff,
  launchBrowser,
  mailWithSubject,
  patientAccount,
  recordResources,
  signInPatient,
  startServer,
  type RunningServer,
  virtualAuthenticator,
} from './harness.js';

const shared = join(process.cwd(), '..', 'shared', 'fhir', 'patients');
const bundleFile = join(
  shared,
  readdirSync(shared).find((f) => f.startsWith('Reyna_Ziemann'))!,
);
const active = (JSON.parse(readFileSync(bundleFile, 'utf8')) as { entry: { resource: Record<string, any> }[] }).entry
  .map((e) => e.resource)
  .filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active');
const medName = active[0]!.medicationCodeableConcept.text ?? active[0]!.medicationCodeableConcept.coding[0].display;
const PASSWORD = 'sunlight over the northern hills';
const STAFF_PASSWORD = 'listen twice and speak once';

describe('a patient and a clinician, in two browsers: a message with a PDF, a reply with a document, a refill approved', () => {
  let server: RunningServer;
  let browser: Browser;
  let patient: Page;
  let clinician: Page;
  let patientId: string;
  let readings: Buffer;
  let letter: Buffer;

  before(async () => {
    server = await startServer();
    ({ patientId } = await patientAccount(server, bundleFile, 'reyna', PASSWORD));
    readings = await samplePdf('Blood pressure diary: 128/82, 131/85');
    letter = await samplePdf('Results letter from Dr Ana Lee');
    browser = await launchBrowser();
    patient = await (await browser.newContext({ bypassCSP: true, acceptDownloads: true })).newPage(); // bypassCSP only so axe can be injected
    const staffContext = await browser.newContext({ bypassCSP: true, acceptDownloads: true });
    clinician = await staffContext.newPage();
    await virtualAuthenticator(clinician);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const feed = (type: string) => recordResources(server, 'reyna', PASSWORD, type);

  it('the patient writes to the primary care team with a PDF, after the emergency notice; it is sent once', async () => {
    await signInPatient(patient, server.origin, 'reyna', PASSWORD);
    await patient.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    const list = patient.locator('mcl-messages-page');
    await list.getByText('No messages yet').waitFor();
    await list.getByRole('link', { name: 'Write a new message' }).click();
    const compose = patient.locator('mcl-compose-page');
    await compose.getByLabel('To').selectOption({ label: 'Primary care team' });
    // The clinicians of her visits are offered too, by name.
    assert.ok((await compose.locator('optgroup[label="Your clinicians"] option').count()) >= 1);
    await compose.getByLabel('Subject').fill('Blood pressure readings');
    await compose.getByLabel('Message').fill('Here are my readings from this week. Should I change anything?');
    await compose
      .locator('mcl-attachment-picker input[type=file]')
      .setInputFiles({ name: 'readings.pdf', mimeType: 'application/pdf', buffer: readings });
    await compose.locator('mcl-attachment-picker li', { hasText: 'readings.pdf' }).waitFor();
    const notice = await compose.getByRole('note').innerText();
    assert.match(notice, /not for emergencies/);
    assert.match(notice, /911/);
    assert.deepEqual(await axeViolations(patient), [], 'compose');
    const posted = patient.waitForRequest(
      (r) => new URL(r.url()).pathname === '/api/messages' && r.method() === 'POST',
    );
    await compose.getByRole('button', { name: 'Send message' }).click();
    assert.match((await posted).headers()['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
    // Once the server has it, it comes back through the record and replaces the "sending" line.
    await list.locator('li.card h2', { hasText: 'Blood pressure readings' }).waitFor({ timeout: 20_000 });
    await list.getByText('waiting for your care team').waitFor();
    assert.deepEqual(await axeViolations(patient), [], 'messages list');
    const sent = (await feed('Communication')).filter((m) => m.sender?.reference === `Patient/${patientId}`);
    assert.equal(sent.length, 1, 'exactly one message');
    assert.equal(sent[0]!.payload[1].contentAttachment.title, 'readings.pdf');
  });

  it('the patient asks for a refill', async () => {
    await patient.goto(`${server.origin}/records/medications`);
    await patient
      .locator('mcl-medications-page li.card', { hasText: medName })
      .first()
      .getByRole('link', { name: /^Request (refill|renewal):/ })
      .click();
    const refills = patient.locator('mcl-refills-page');
    await refills.locator('input[name="pharmacy"]').fill('Main Street Pharmacy');
    await refills.getByRole('button', { name: 'Send request' }).click();
    await refills
      .locator('li.card', { hasText: medName })
      .first()
      .locator('[role="status"]', { hasText: /requested on .*waiting for your care team/ })
      .waitFor({ timeout: 20_000 });
  });

  it('a clinician (passkey) reads it unread-first, downloads the PDF, replies sharing a letter, and marks it handled', async () => {
    await enrolStaff(server, clinician, {
      email: 'dr.lee@clinic.example',
      name: 'Dr Ana Lee',
      role: 'clinician',
      username: 'ana.lee',
      password: STAFF_PASSWORD,
    });
    await clinician.locator('mcl-app nav a', { hasText: 'Messages' }).click();
    const inbox = clinician.locator('mcl-message-inbox-page');
    const row = inbox.locator('li.card', { hasText: 'Blood pressure readings' });
    await row.waitFor();
    assert.match(await row.innerText(), /Unread/);
    assert.match(await inbox.locator('section h2').first().innerText(), /Primary care team \(1 waiting\)/);
    assert.deepEqual(await axeViolations(clinician), [], 'staff inbox');
    await row.getByRole('button', { name: 'Blood pressure readings' }).click();
    await inbox.getByText('Here are my readings from this week.').waitFor();
    const download = clinician.waitForEvent('download');
    await inbox.getByRole('button', { name: 'Download readings.pdf' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'readings.pdf');
    assert.ok(readFileSync((await file.path())!).equals(readings), 'the file arrives as the patient sent it');
    assert.deepEqual(await axeViolations(clinician), [], 'staff conversation');
    await inbox
      .getByLabel('Reply', { exact: true })
      .fill('Your readings look fine. I attached a letter with the details.');
    await inbox
      .locator('mcl-attachment-picker input[type=file]')
      .setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: letter });
    await inbox.locator('mcl-attachment-picker li', { hasText: 'letter.pdf' }).waitFor();
    await inbox.getByLabel(/Document title/).fill('Results letter');
    await inbox.getByRole('button', { name: 'Send reply' }).click();
    await inbox.locator('[role="status"]', { hasText: 'with “Results letter” added to their documents' }).waitFor();
    await inbox.getByText('I attached a letter with the details.').waitFor();
    await inbox.getByRole('button', { name: 'Mark handled' }).click();
    await inbox.locator('[role="status"]', { hasText: 'marked handled' }).waitFor();
  });

  it('the clinician approves the refill, confirming the pharmacy', async () => {
    await clinician.locator('mcl-app nav a', { hasText: 'Refill requests' }).click();
    const item = clinician.locator('mcl-refill-queue-page li.card', { hasText: medName }).first();
    await item.getByRole('button', { name: /^Approve/ }).click();
    assert.equal(await item.getByLabel(/Pharmacy the prescription goes to/).inputValue(), 'Main Street Pharmacy');
    await item.getByRole('button', { name: 'Confirm and approve' }).click();
    await clinician
      .locator('mcl-refill-queue-page [role="status"]', { hasText: 'approved, to Main Street Pharmacy' })
      .waitFor();
  });

  it('the patient is told (in the app, and by mail without clinical detail), reads the reply, and finds the letter under Documents', async () => {
    const mail = await mailWithSubject(server.dataDir, /A new message from your care team/);
    assert.ok(!/readings|letter|blood/i.test(mail.text ?? ''), 'no clinical content in the mail');
    await patient.goto(server.origin + '/');
    const newsBox = patient.locator('mcl-dashboard section', { hasText: 'New for you' });
    await newsBox
      .getByRole('link', { name: 'New reply from Dr Ana Lee: Blood pressure readings' })
      .waitFor({ timeout: 20_000 });
    await newsBox.getByRole('link', { name: new RegExp(`Your request for .* was approved`) }).waitFor();
    assert.deepEqual(await axeViolations(patient), [], 'home with news');
    await newsBox.getByRole('link', { name: /New reply from Dr Ana Lee/ }).click();
    const conversation = patient.locator('mcl-conversation-page');
    await conversation.getByText('Your readings look fine.').waitFor();
    assert.match(await conversation.locator('ul[aria-label="Messages"] > li').last().innerText(), /Results letter/);
    assert.deepEqual(await axeViolations(patient), [], 'conversation');
    await patient.goto(`${server.origin}/records/documents`);
    const documents = patient.locator('mcl-documents-page');
    const card = documents.locator('li.card', { hasText: 'Results letter' });
    await card.waitFor();
    assert.match(await card.innerText(), /From Dr Ana Lee/);
    const download = patient.waitForEvent('download');
    await card.getByRole('button', { name: /^Download Results letter/ }).click();
    assert.ok(
      readFileSync((await (await download).path())!).equals(letter),
      'the shared letter, from the local record',
    );
    // Back on Home, the reply is no longer news; the decision is, until Medications is opened.
    await patient.goto(server.origin + '/');
    await patient.locator('mcl-dashboard li', { hasText: 'nothing unread' }).waitFor();
    const docs = (await feed('DocumentReference')).filter((d) => d.type?.text === 'Results letter');
    assert.equal(docs.length, 1, 'the letter is one DocumentReference in her record');
  });
});
