import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { axeViolations, signInPatient, waitForController } from './harness.js';
import { activeMedications, patientBundle, patientJourney } from './journey.js';
import { bundleSchemaValidator } from '../../server/testing/fhir-schema.js';

// [4/11] "For another clinic": a signed-in patient downloads their whole record (FHIR R4 Bundle) and an
// International Patient Summary, both made in the browser from the local record; the test validates each file
// against the official FHIR R4 JSON schema (ajv) and reads the IPS as a clinic would. Each download shows in the
// patient's access log.
const PASSWORD = 'a lantern on the garden wall';
const bundleFile = patientBundle('Reyna_Ziemann');
const source = (JSON.parse(readFileSync(bundleFile, 'utf8')) as { entry: { resource: Record<string, any> }[] }).entry;
type Json = Record<string, any>;
/** What the patient's own record holds: the clinic's Organizations and Practitioners are shared, not in their feed. */
const own = source.filter((e) => !['Organization', 'Practitioner'].includes(e.resource.resourceType));

async function download(page: Page, name: RegExp): Promise<{ file: string; json: Json }> {
  const [event] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('mcl-export-page').getByRole('button', { name }).click(),
  ]);
  return { file: event.suggestedFilename(), json: JSON.parse(readFileSync((await event.path())!, 'utf8')) as Json };
}

describe('export for another clinic: the FHIR Bundle and the IPS, made on the device', () => {
  const journey = patientJourney(bundleFile, 'reyna', PASSWORD, {
    withPage: ({ page, server }) => signInPatient(page, server.origin, 'reyna', PASSWORD),
  });
  const validate = bundleSchemaValidator();

  it('opens from the health record; plain words; axe clean', async () => {
    const { page } = journey;
    await page.locator('mcl-app nav a', { hasText: 'Health record' }).click();
    await page.locator('mcl-records-page').getByRole('link', { name: 'Download for another clinic' }).click();
    await page.locator('mcl-export-page h1', { hasText: 'Download for another clinic' }).waitFor();
    await page.locator('mcl-export-page').getByText(`(${own.length} entries)`).waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });

  it('the whole record: a FHIR R4 collection Bundle valid against the schema, with every resource of the record', async () => {
    const { file, json } = await download(journey.page, /Your whole record \(FHIR R4 Bundle/);
    assert.match(file, /^health-record-fhir-\d{4}-\d{2}-\d{2}\.json$/);
    assert.ok(validate(json), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(json.type, 'collection');
    assert.equal(json.entry.length, own.length);
    assert.equal(json.entry[0].resource.resourceType, 'Patient');
    const ids = new Set(json.entry.map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`));
    for (const { resource } of own) assert.ok(ids.has(`${resource.resourceType}/${resource.id}`));
  });

  it('the IPS: a document valid against the schema; Composition 60591-5 with the sections the record holds', async () => {
    const { file, json } = await download(journey.page, /International Patient Summary \(IPS/);
    assert.match(file, /^patient-summary-ips-/);
    assert.ok(validate(json), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(json.type, 'document');
    const composition = json.entry[0].resource;
    assert.equal(composition.resourceType, 'Composition');
    assert.equal(composition.type.coding[0].code, '60591-5');
    assert.equal(json.entry[1].resource.resourceType, 'Patient');
    assert.equal(composition.subject.reference, json.entry[1].fullUrl);
    const urls = new Map<string, Json>(json.entry.map((e: Json) => [e.fullUrl, e.resource]));
    const sections = new Map<string, Json>(composition.section.map((s: Json) => [s.code.coding[0].code, s]));
    // Required: medications, allergies, problems; recommended ones Reyna's record holds: immunizations, results,
    // procedures, vital signs.
    for (const code of ['10160-0', '48765-2', '11450-4', '11369-6', '30954-2', '47519-4', '8716-3'])
      assert.ok(sections.has(code), code);
    const types = (code: string) => sections.get(code)!.entry.map((e: Json) => urls.get(e.reference)!.resourceType);
    assert.equal(types('10160-0').length, activeMedications(bundleFile));
    assert.ok(types('48765-2').every((t: string) => t === 'AllergyIntolerance'));
    assert.ok(types('11450-4').every((t: string) => t === 'Condition'));
    assert.ok(types('11369-6').every((t: string) => t === 'Immunization'));
    for (const [, ref] of JSON.stringify(json).matchAll(/"reference":"([^"]+)"/g)) assert.ok(urls.has(ref!), ref);
  });

  it('each download is in the patient’s access log', async () => {
    const { page, server } = journey;
    let exports: Json[] = [];
    for (let i = 0; i < 50 && exports.length < 2; i++) {
      const log = (await (await page.request.get(`${server.origin}/api/access-log`)).json()) as { entries: Json[] };
      exports = log.entries.filter((e) => e.action === 'record.export');
      if (exports.length < 2) await page.waitForTimeout(200);
    }
    assert.equal(exports.length, 2, JSON.stringify(exports));
    assert.ok(exports.every((e) => e.who.kind === 'you'));
  });

  it('offline: the file is still made from the local record; the download is noted once back online', async () => {
    const { page, context, server } = journey;
    await waitForController(page);
    await context.setOffline(true);
    const { json } = await download(page, /International Patient Summary \(IPS/);
    assert.equal(json.type, 'document');
    await page
      .locator('mcl-export-page [role=status]', {
        hasText: 'will be noted in your access log when you are back online',
      })
      .waitFor();
    await context.setOffline(false);
    let count = 0;
    for (let i = 0; i < 100 && count < 3; i++) {
      const log = (await (await page.request.get(`${server.origin}/api/access-log`)).json()) as { entries: Json[] };
      count = log.entries.filter((e) => e.action === 'record.export').length;
      if (count < 3) await page.waitForTimeout(200);
    }
    assert.equal(count, 3);
  });
});
