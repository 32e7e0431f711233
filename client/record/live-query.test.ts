import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { customElement } from 'lit/decorators.js';
import Dexie, { type Table } from 'dexie';
import { LiveQuery } from './live-query.js';

const DB = 'mcl-live-query-test';
class Db extends Dexie {
  items!: Table<{ id: string; list: string }, string>;
  constructor() {
    super(DB, { cache: 'disabled' });
    this.version(1).stores({ items: 'id, list' });
  }
}
let db: Db;

/** A host that shows the items of one list, live; `list` is what the query depends on. */
@customElement('mcl-live-query-host')
class Host extends LitElement {
  list = 'a';
  renders = 0;
  readonly items = new LiveQuery(
    this,
    () => db.items.where('list').equals(this.list).primaryKeys(),
    () => [this.list],
  );
  override render() {
    this.renders++;
    return html`${this.items.loading ? 'loading' : this.items.error ? 'failed' : this.items.value!.join(',')}`;
  }
}

const text = (el: Host) => el.shadowRoot!.textContent!.trim();
async function until(ok: () => boolean, ms = 2000) {
  for (let t = 0; t < ms && !ok(); t += 20) await new Promise((r) => setTimeout(r, 20));
}

describe('LiveQuery (Dexie liveQuery as a Lit controller, real IndexedDB)', () => {
  beforeEach(async () => {
    db = new Db();
    await db.items.bulkPut([
      { id: '1', list: 'a' },
      { id: '2', list: 'b' },
    ]);
  });
  afterEach(async () => {
    db.close();
    await Dexie.delete(DB);
  });

  it('is loading, then shows the result, then each new one after a write', async () => {
    const el = await fixture<Host>(html`<mcl-live-query-host></mcl-live-query-host>`);
    expect(el.items.loading).to.equal(true);
    await until(() => text(el) === '1');
    expect(text(el)).to.equal('1');
    await db.items.put({ id: '3', list: 'a' });
    await until(() => text(el) === '1,3');
    expect(text(el)).to.equal('1,3');
    expect(el.items.loading).to.equal(false);
  });

  it('sees writes made by another connection, and by a worker', async () => {
    const el = await fixture<Host>(html`<mcl-live-query-host></mcl-live-query-host>`);
    await until(() => text(el) === '1');
    const other = new Db();
    await other.items.put({ id: '4', list: 'a' });
    other.close();
    await until(() => text(el) === '1,4');
    expect(text(el)).to.equal('1,4');
    const source = `import Dexie from '${location.origin}/node_modules/dexie/dist/dexie.mjs';
      const db = new Dexie('${DB}'); db.version(1).stores({ items: 'id, list' });
      await db.items.put({ id: '5', list: 'a' }); postMessage('done');`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
    await new Promise((resolve, reject) => {
      worker.onmessage = resolve;
      worker.onerror = reject;
    });
    worker.terminate();
    await until(() => text(el) === '1,4,5');
    expect(text(el)).to.equal('1,4,5');
  });

  it('starts over when what it depends on changes', async () => {
    const el = await fixture<Host>(html`<mcl-live-query-host></mcl-live-query-host>`);
    await until(() => text(el) === '1');
    el.list = 'b';
    el.requestUpdate();
    await el.updateComplete;
    expect(text(el)).to.equal('loading');
    await until(() => text(el) === '2');
    expect(text(el)).to.equal('2');
    await db.items.put({ id: '6', list: 'a' });
    await db.items.put({ id: '7', list: 'b' });
    await until(() => text(el) === '2,7');
    expect(text(el)).to.equal('2,7');
  });

  it('reports a failed read as its error', async () => {
    const el = await fixture<Host>(html`<mcl-live-query-host></mcl-live-query-host>`);
    await until(() => text(el) === '1');
    el.list = { not: 'a key' } as unknown as string;
    el.requestUpdate();
    await until(() => text(el) === 'failed');
    expect(text(el)).to.equal('failed');
    expect(el.items.error).to.be.instanceOf(Error);
  });

  it('stops listening when the host leaves the page', async () => {
    const el = await fixture<Host>(html`<mcl-live-query-host></mcl-live-query-host>`);
    await until(() => text(el) === '1');
    el.remove();
    const renders = el.renders;
    await db.items.put({ id: '8', list: 'a' });
    await new Promise((r) => setTimeout(r, 200));
    expect(el.renders).to.equal(renders);
    expect(text(el)).to.equal('1');
  });
});
