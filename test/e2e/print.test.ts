import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { axeViolations, signInAddingPasskey, virtualAuthenticator } from './harness.js';
import { patientBundle, patientJourney } from './journey.js';

// [4/11] Print: every record view has Print; on paper the shell's navigation is gone, the page says whose record
// it is (name, date of birth, MRN) and when it was printed, and a long list runs over several numbered pages.
const bundleFile = patientBundle('Margery_Gibson');
const patient = (
  JSON.parse(readFileSync(bundleFile, 'utf8')) as { entry: { resource: Record<string, any> }[] }
).entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
const MRN: string = patient.identifier.find((i: any) => i.type?.coding?.some((c: any) => c.code === 'MR')).value;
const PASSWORD = 'rain on the old stone bridge';

describe('printing test results: no navigation on paper, whose record it is, several pages', () => {
  const journey = patientJourney(bundleFile, 'margery', PASSWORD, {
    withPage: async ({ page, server }) => {
      await virtualAuthenticator(page);
      await signInAddingPasskey(page, server.origin, 'margery', PASSWORD);
    },
  });

  it('has a Print button on screen, which opens the print dialog', async () => {
    const { page } = journey;
    await page.locator('mcl-app nav a', { hasText: 'Health record' }).click();
    await page.locator('mcl-records-page a', { hasText: 'Test results' }).click();
    const results = page.locator('mcl-results-page');
    await results.locator('table').first().waitFor();
    const print = results.getByRole('button', { name: 'Print this page' });
    assert.ok(await print.isVisible(), 'Print this page, on screen');
    assert.ok(
      await results.getByRole('button', { name: /Show older/ }).isVisible(),
      'a long list: "Show older" on screen',
    );
    // window.print() blocks in a headless page until the dialog is dealt with: count the calls instead.
    await page.evaluate(() => {
      (window as any).printed = 0;
      window.print = () => void (window as any).printed++;
    });
    await print.focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => (window as any).printed), 1, 'the keyboard opens print');
    assert.deepEqual(await axeViolations(page), [], 'results with the Print button');
  });

  it('in print media the shell is gone and the page names the patient, date of birth, MRN and the time', async () => {
    const { page } = journey;
    const results = page.locator('mcl-results-page');
    assert.ok(await page.locator('mcl-app nav').isVisible(), 'the navigation is there on screen');
    assert.ok(!(await results.locator('.print-header').isVisible()), 'the print header is not on screen');
    await page.emulateMedia({ media: 'print' });
    for (const part of ['nav', 'header', 'footer', '.skip', 'mcl-viewing-as', 'mcl-update-prompt'])
      assert.ok(await page.locator(`mcl-app ${part}`).isHidden(), `${part} is not printed`);
    assert.ok(await page.locator('mcl-app nav a', { hasText: 'Messages' }).isHidden(), 'no navigation link printed');
    assert.ok(await results.getByRole('button', { name: 'Print this page' }).isHidden(), 'Print is not printed');
    assert.ok(await results.getByRole('button', { name: /Show older/ }).isHidden(), '"Show older" is not printed');
    const header = results.locator('.print-header');
    assert.ok(await header.isVisible(), 'the print header is printed');
    const text = (await header.innerText()).replace(/\s+/g, ' ');
    const born = await page.evaluate(
      (d) => new Date(`${d}T12:00:00`).toLocaleDateString(undefined, { dateStyle: 'medium' }),
      patient.birthDate as string,
    );
    assert.match(text, /Margery Gibson/);
    assert.ok(text.includes(`Date of birth: ${born}`), text);
    assert.ok(text.includes(`MRN: ${MRN}`), text);
    assert.match(text, /Printed \S/);
    // Tables split between rows, with the header row again on the next page.
    const table = await results
      .locator('thead')
      .first()
      .evaluate((thead) => ({
        thead: getComputedStyle(thead).display,
        row: getComputedStyle(thead.closest('table')!.querySelector('tbody tr')!).breakInside,
      }));
    assert.deepEqual(table, { thead: 'table-header-group', row: 'avoid' });
  });

  it('prints to a PDF of several pages (20 reports and panels of results)', async () => {
    const { page } = journey;
    const pdf = await page.pdf({ format: 'A4', displayHeaderFooter: false, preferCSSPageSize: true });
    const doc = await PDFDocument.load(pdf);
    assert.ok(doc.getPageCount() > 1, `${doc.getPageCount()} page(s)`);
    const letter = await PDFDocument.load(await page.pdf({ format: 'Letter' }));
    assert.ok(letter.getPageCount() > 1, `${letter.getPageCount()} Letter page(s)`);
    await page.emulateMedia({ media: 'screen' });
    assert.ok(await page.locator('mcl-app nav').isVisible(), 'back on screen, the navigation is back');
  });
});
