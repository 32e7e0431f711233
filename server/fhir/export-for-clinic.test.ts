import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { Bundle, Composition } from 'fhir/r4';
import { readJson, sharedFiles } from '../testing/fhir-data.js';
import { asStored, bundleSchemaValidator } from '../testing/fhir-schema.js';
import { ipsDocument } from '../../common/fhir-export/ips.js';
import { patientBundle } from '../../common/fhir-export/patient-bundle.js';
import { IPS_SECTIONS } from '../../common/fhir-export/ips-sections.js';
import { fhirValidator } from './validator.js';

// [4/11] "For another clinic": the whole record (a collection Bundle) and the International Patient Summary (a
// document Bundle) made from each shared Synthea patient as the device holds it, checked against the official FHIR
// R4 JSON schema in ../shared/fhir/schema (the whole Bundle, as a receiving system would), and the IPS against the
// structure of the IPS examples in ../shared/fhir/ips.

/** A counter for ids: the builders take randomness from the caller. */
const counter = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const NOW = new Date('2026-12-03T10:00:00Z');

/** The first schema problem, in words, or '' (each entry checked alone: the Bundle's oneOf hides where). */
function firstProblem(validate: ValidateFunction, bundle: Bundle): string {
  // (Not `if (validate(bundle))`: ajv's type guard would narrow the bundle to never below.)
  const valid: boolean = validate(bundle);
  if (valid) return '';

  for (const [i, e] of (bundle.entry ?? []).entries()) {
    const issue = fhirValidator().validate(e.resource as { resourceType?: unknown });
    if (issue) return `entry[${i}] ${e.resource?.resourceType}: ${issue.path} ${issue.message}`;
  }
  return JSON.stringify(validate.errors?.slice(0, 3));
}

describe('export for another clinic: FHIR Bundle and IPS of each shared patient', () => {
  let validate: ValidateFunction;
  before(() => {
    validate = bundleSchemaValidator();
  });

  it('the schema accepts the IPS examples and rejects a damaged one (the check is real)', () => {
    for (const file of sharedFiles('ips')) assert.ok(validate(readJson(file)), basename(file));
    const broken = readJson(sharedFiles('ips')[0]!);
    (broken.entry[0]!.resource as Record<string, unknown>).status = 'finished';
    assert.equal(validate(broken), false);
  });

  for (const file of sharedFiles('patients')) {
    const name = basename(file).split('_').slice(0, 2).join(' ');
    describe(name, () => {
      const resources = asStored(readJson(file));
      const patient = resources.find((r) => r.resourceType === 'Patient')!;

      it('the whole record: a collection Bundle of every resource, Patient first, valid against the schema', () => {
        const bundle = patientBundle(resources, { now: NOW, newId: counter() });
        assert.equal(bundle.type, 'collection');
        assert.equal(bundle.entry!.length, resources.length);
        assert.equal(bundle.entry![0]!.resource!.resourceType, 'Patient');
        assert.ok(bundle.entry!.every((e) => e.fullUrl!.startsWith('urn:uuid:')));
        assert.equal(firstProblem(validate, bundle), '');
        // References between entries point at their fullUrls; none points at a `Type/id` the bundle holds.
        const urls = new Set(bundle.entry!.map((e) => e.fullUrl));
        const text = JSON.stringify(bundle);
        for (const [, ref] of text.matchAll(/"reference":"(urn:uuid:[^"]+)"/g)) assert.ok(urls.has(ref), ref);
        const held = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
        for (const [, ref] of text.matchAll(/"reference":"([A-Za-z]+\/[^"]+)"/g)) assert.ok(!held.has(ref!), ref);
      });

      it('the IPS: a document whose Composition lists the required and held sections; every reference resolves', () => {
        const ips = ipsDocument(resources, { now: NOW, newId: counter() });
        assert.equal(firstProblem(validate, ips), '');
        assert.equal(ips.type, 'document');
        assert.ok(ips.identifier?.value && ips.timestamp);
        const [first, second] = ips.entry!;
        const composition = first!.resource as Composition;
        assert.equal(composition.resourceType, 'Composition');
        assert.equal(composition.status, 'final');
        assert.deepEqual(composition.type.coding![0], {
          system: 'http://loinc.org',
          code: '60591-5',
          display: 'Patient summary Document',
        });
        assert.equal(composition.title, 'International Patient Summary');
        assert.equal(second!.resource!.resourceType, 'Patient');
        assert.equal(second!.resource!.id, patient.id);
        assert.equal(composition.subject!.reference, second!.fullUrl);

        const fullUrls = new Map(ips.entry!.map((e) => [e.fullUrl, e.resource!]));
        assert.equal(fullUrls.size, ips.entry!.length, 'fullUrls are unique');
        assert.ok([...fullUrls.keys()].every((u) => /^urn:uuid:[0-9a-f-]{36}$/.test(u!)));
        // Every reference anywhere in the document is to one of its entries (or contained).
        for (const [, ref] of JSON.stringify(ips).matchAll(/"reference":"([^"]+)"/g))
          assert.ok(fullUrls.has(ref) || ref!.startsWith('#'), `unresolved ${ref}`);
        assert.ok(fullUrls.has(composition.author![0]!.reference));

        const codes = composition.section!.map((s) => s.code!.coding![0]!.code);
        for (const required of ['10160-0', '48765-2', '11450-4']) assert.ok(codes.includes(required), required);
        for (const section of composition.section!) {
          assert.equal(section.text!.status, 'generated');
          assert.match(section.text!.div, /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.*<\/div>$/s);
          const def = IPS_SECTIONS.find((d) => d.loinc === section.code!.coding![0]!.code)!;
          if (!section.entry) {
            assert.ok(def.required, `${def.title} is present only when it has entries`);
            assert.equal(section.emptyReason!.coding![0]!.code, 'unavailable');
            continue;
          }
          for (const e of section.entry) assert.ok(def.holds(fullUrls.get(e.reference) as never), def.title);
        }
        // The record's recommended sections appear exactly when it holds something for them.
        for (const def of IPS_SECTIONS.filter((d) => !d.required))
          assert.equal(codes.includes(def.loinc), resources.some(def.holds), def.title);
        const section = (loinc: string) => composition.section!.find((s) => s.code!.coding![0]!.code === loinc);
        const active = resources.filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active').length;
        assert.equal(section('10160-0')!.entry?.length ?? 0, active);
      });
    });
  }

  it('Margery Gibson: her 7 active prescriptions, 417 lab results and 48 reports, 13 immunizations', () => {
    const file = sharedFiles('patients').find((f) => f.includes('Margery'))!;
    const ips = ipsDocument(asStored(readJson(file)), { now: NOW, newId: counter() });
    const composition = ips.entry![0]!.resource as Composition;
    const count = (loinc: string) =>
      composition.section!.find((s) => s.code!.coding![0]!.code === loinc)?.entry?.length;
    assert.equal(count('10160-0'), 7);
    assert.equal(count('30954-2'), 417 + 48);
    assert.equal(count('11369-6'), 13);
    assert.equal(count('47519-4'), 8);
    assert.equal(count('8716-3'), 66);
    assert.equal(count('11450-4'), 13);
  });
});
