import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AccessLogPage } from './access-log-page.js';
import { whoInWords } from './access-log-page.js';
import './access-log-page.js';

// The server's answers in its shapes (server/routes/access-log.ts): a first page with a next cursor, an older page.
const people = [
  { id: 'acc-ada', name: 'You', kind: 'you' },
  { id: 'acc-cal', name: 'Cal Ortiz', kind: 'caregiver' },
  { id: 'acc-doc', name: 'Dr. Ana Lee', kind: 'staff', role: 'Clinician' },
];
const entry = (
  seq: number,
  who: (typeof people)[number],
  action: string,
  kind: string,
  what: string,
  outcome = 'success',
) => ({
  seq,
  at: `2026-11-2${seq % 10}T15:00:00.000Z`,
  who,
  action,
  kind,
  what,
  outcome,
});
const firstPage = {
  timeZone: 'America/Chicago',
  people,
  next: '40',
  entries: [
    entry(43, people[2]!, 'staff.message.view', 'read', 'Your care team read your messages'),
    entry(42, people[1]!, 'record.read', 'read', 'Your record was read'),
    entry(
      41,
      people[0]!,
      'caregiver.invited',
      'sharing',
      'A caregiver was invited by email: Cal, who may read your health record',
    ),
  ],
};
const olderPage = {
  timeZone: 'America/Chicago',
  people,
  entries: [
    entry(40, people[0]!, 'record.download', 'read', 'Your record was copied to this app for use with no connection'),
  ],
};

describe('access log page', () => {
  const realFetch = window.fetch;
  const realClick = HTMLAnchorElement.prototype.click;
  let calls: string[];
  let downloads: { name: string; href: string }[];
  let answer: (url: URL) => Response;
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  beforeEach(() => {
    calls = [];
    downloads = [];
    answer = (url) =>
      url.pathname === '/api/access-log.csv'
        ? new Response('\uFEFFWhen,Who\r\n', {
            headers: {
              'Content-Type': 'text/csv; charset=utf-8',
              'Content-Disposition': 'attachment; filename="access-log-start-to-now.csv"',
            },
          })
        : json(url.searchParams.get('cursor') === '40' ? olderPage : firstPage);
    window.fetch = async (input: RequestInfo | URL) => {
      const url = new URL(String(input), location.origin);
      calls.push(`${url.pathname}${url.search}`);
      return answer(url);
    };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      if (this.download) downloads.push({ name: this.download, href: this.href });
      else realClick.call(this);
    };
  });
  afterEach(() => {
    window.fetch = realFetch;
    HTMLAnchorElement.prototype.click = realClick;
  });

  const mount = async () => {
    const el = await fixture<AccessLogPage>(html`<mcl-access-log-page></mcl-access-log-page>`);
    await until(() => calls.length > 0 && !el.shadowRoot!.textContent!.includes('Loading…'));
    await el.updateComplete;
    return el;
  };
  async function until(ok: () => boolean, ms = 3000) {
    for (let t = 0; t < ms && !ok(); t += 20) await new Promise((r) => setTimeout(r, 20));
  }
  /** Until the page has the answer to what it asked last (its buttons are enabled again). */
  const settled = async (el: AccessLogPage) => {
    await el.updateComplete;
    await until(() => !el.shadowRoot!.querySelector('button[disabled]'));
    await el.updateComplete;
  };
  const rows = (el: HTMLElement) =>
    [...el.shadowRoot!.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')]
        .slice(1)
        .map((td) => td.textContent!.trim())
        .join(' | '),
    );

  it('shows who did what, newest first, in a table with a caption and column headers; axe clean', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(root.querySelector('h1')!.textContent).to.equal('Access log');
    expect(root.querySelector('caption')!.textContent).to.contain('newest first');
    expect([...root.querySelectorAll('thead th')].map((th) => th.getAttribute('scope'))).to.deep.equal(
      Array(5).fill('col'),
    );
    expect(rows(el)).to.deep.equal([
      'Dr. Ana Lee (staff: Clinician) | Your care team read your messages | Read | Done',
      'Cal Ortiz (caregiver) | Your record was read | Read | Done',
      'You | A caregiver was invited by email: Cal, who may read your health record | Sharing | Done',
    ]);
    expect([...root.querySelectorAll('#person option')].map((o) => o.textContent)).to.deep.equal([
      'Everyone',
      'You',
      'Cal Ortiz (caregiver)',
      'Dr. Ana Lee (staff: Clinician)',
    ]);
    expect(root.textContent).to.contain('America/Chicago');
    await expect(el).to.be.accessible();
  });

  it('Apply sends the person and days; Show older adds the next page with the same filter', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    root.querySelector<HTMLSelectElement>('#person')!.value = 'acc-cal';
    root.querySelector<HTMLInputElement>('#from')!.value = '2026-11-01';
    root.querySelector<HTMLInputElement>('#to')!.value = '2026-11-30';
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => calls.length === 2);
    expect(calls[1]).to.equal('/api/access-log?person=acc-cal&from=2026-11-01&to=2026-11-30');
    await settled(el);
    const older = [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('Show older'))!;
    older.click();
    await until(() => rows(el).length === 4);
    expect(calls[2]).to.equal('/api/access-log?person=acc-cal&from=2026-11-01&to=2026-11-30&cursor=40');
    expect(rows(el)[3]).to.contain('Your record was copied');
    expect(root.textContent).to.contain('That is the whole log for this filter.');
    await expect(el).to.be.accessible();
  });

  it('Download as CSV fetches the file for the same filter and saves it under the server’s name', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    root.querySelector<HTMLSelectElement>('#person')!.value = 'acc-doc';
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settled(el);
    [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('Download as CSV'))!.click();
    await until(() => downloads.length === 1);
    expect(calls.at(-1)).to.equal('/api/access-log.csv?person=acc-doc');
    expect(downloads[0]!.name).to.equal('access-log-start-to-now.csv');
    expect(downloads[0]!.href).to.match(/^blob:/);
  });

  it('works from the keyboard: Tab reaches the filter, Enter in a date field applies it', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    root.querySelector<HTMLSelectElement>('#person')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(root.activeElement!.id).to.equal('from');
    root.querySelector<HTMLInputElement>('#from')!.value = '2026-11-20';
    await sendKeys({ press: 'Enter' });
    await until(() => calls.length === 2);
    expect(calls[1]).to.equal('/api/access-log?from=2026-11-20');
  });

  it('says so plainly when the log is empty, and when the server refuses', async () => {
    answer = () => json({ ...firstPage, entries: [], next: undefined });
    const empty = await mount();
    expect(empty.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('Nothing yet');
    await expect(empty).to.be.accessible();
    answer = () =>
      json(
        { error: 'no_record', message: 'This account has no health record of its own, so it has no access log.' },
        404,
      );
    const refused = await mount();
    expect(refused.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('no health record of its own');
    await expect(refused).to.be.accessible();
  });

  it('names people with their part', () => {
    expect(whoInWords({ id: 'x', name: 'Gus', kind: 'guardian' })).to.equal('Gus (guardian)');
    expect(whoInWords({ id: 'cli', name: 'The clinic', kind: 'clinic' })).to.equal('The clinic');
  });
});
