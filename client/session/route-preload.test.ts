import { expect } from '@open-wc/testing';
import { matchPath, preloadRouteOf } from './route-preload.js';

describe('route preloading (the code of the opened page, asked for before the shell runs)', () => {
  it('matches exact paths and `/*` prefixes, with or without a trailing slash', () => {
    const table = [{ path: '/' }, { path: '/help' }, { path: '/records/*' }];
    expect(matchPath('/help/', table)?.path).to.equal('/help');
    expect(matchPath('/', table)?.path).to.equal('/');
    expect(matchPath('/records/results', table)?.path).to.equal('/records/*');
    expect(matchPath('/helpless', table)).to.equal(undefined);
  });

  it("adds one modulepreload link per listed module of the page's route, once", () => {
    const list = Object.assign(document.createElement('script'), { type: 'application/json', id: 'mcl-route-modules' });
    list.textContent = JSON.stringify({
      '/help': ['/client/app/navigate.ts', '/client/app/route-preload.ts'],
      '/': ['/client/app/routes.ts'],
    });
    document.head.append(list);
    const links = () =>
      [...document.querySelectorAll<HTMLLinkElement>('link[rel=modulepreload]')]
        .map((l) => new URL(l.href).pathname)
        .filter((p) => p.startsWith('/client/app/'));
    try {
      preloadRouteOf('/help/');
      preloadRouteOf('/help');
      preloadRouteOf('/no-such-page');
      expect(links()).to.deep.equal(['/client/app/navigate.ts', '/client/app/route-preload.ts']);
    } finally {
      list.remove();
      for (const l of document.querySelectorAll('link[rel=modulepreload]'))
        if (l.getAttribute('href')?.startsWith('/client/app/')) l.remove();
    }
  });
});
