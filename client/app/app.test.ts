import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { demoClinic } from '../../common/demo-clinic.js';
import type { App } from './app.js';
import { matchRoute } from './routes.js';
import './app.js';

describe('mcl-app', () => {
  const start = location.pathname + location.search;
  afterEach(() => history.replaceState(null, '', start));

  async function appAt(path: string): Promise<App> {
    history.replaceState(null, '', path);
    const el = await fixture<App>(html`<mcl-app .clinic=${demoClinic}></mcl-app>`);
    await waitUntil(() => el.router.loaded, 'route did not load');
    await el.updateComplete;
    return el;
  }

  it('shows the clinic name, the main navigation and the home page', async () => {
    const el = await appAt('/');
    const root = el.shadowRoot!;
    expect(root.querySelector('header .brand')!.textContent).to.equal(demoClinic.name);
    const links = [...root.querySelectorAll('nav a')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).to.deep.equal([
      ['Home', '/'],
      ['Help', '/help'],
      ['Sign in', '/sign-in'],
    ]);
    expect(root.querySelector('nav a[aria-current="page"]')!.textContent).to.equal('Home');
    expect(root.querySelector('main mcl-home-page')).to.exist;
    expect(document.title).to.equal(`Home – ${demoClinic.name}`);
    await expect(el).to.be.accessible();
  });

  it('opens Help from the navigation without a page load and moves focus to the new page', async () => {
    const el = await appAt('/');
    const root = el.shadowRoot!;
    root.querySelector<HTMLAnchorElement>('nav a[href="/help"]')!.click();
    await waitUntil(() => root.querySelector('main mcl-help-page'), 'help page did not open');
    await waitUntil(() => el.shadowRoot!.activeElement === root.querySelector('main'), 'focus did not move to main');
    expect(location.pathname).to.equal('/help');
    expect(root.querySelector('nav a[aria-current="page"]')!.textContent).to.equal('Help');
    expect(document.title).to.equal(`Help – ${demoClinic.name}`);
    await expect(el).to.be.accessible();
  });

  it('follows the back button', async () => {
    const el = await appAt('/');
    el.router.navigate('/help');
    await waitUntil(() => el.shadowRoot!.querySelector('main mcl-help-page'));
    history.back();
    await waitUntil(() => el.shadowRoot!.querySelector('main mcl-home-page'), 'back did not return home');
  });

  it('says when a page does not exist, with a way out', async () => {
    const el = await appAt('/no/such/page');
    const main = el.shadowRoot!.querySelector('main')!;
    expect(main.querySelector('h1')!.textContent).to.equal('Page not found');
    expect(main.querySelector('a[href="/"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('lets keyboard users skip to the main content', async () => {
    const el = await appAt('/');
    const skip = el.shadowRoot!.querySelector<HTMLButtonElement>('button.skip')!;
    expect(skip.textContent).to.equal('Skip to main content');
    skip.click();
    expect(el.shadowRoot!.activeElement).to.equal(el.shadowRoot!.querySelector('main'));
    expect(location.pathname).to.equal('/');
  });

  it('matches routes with or without a trailing slash', () => {
    expect(matchRoute('/help')?.tag).to.equal('mcl-help-page');
    expect(matchRoute('/help/')?.tag).to.equal('mcl-help-page');
    expect(matchRoute('/')?.tag).to.equal('mcl-home-page');
    expect(matchRoute('/helpless')).to.equal(undefined);
  });
});
