// ESLint rule `layers/imports`: which part of the project may import which (ARCHITECTURE.md, "Client" and "Server").
//
// A local rule rather than eslint-plugin-boundaries: the layers are a property of paths only (client/ui/x.ts may not
// import client/features/home/y.ts whatever y contains), so each relative specifier is resolved against the importing
// file's folder and the pair of places is checked against the table below. No module resolver is involved (a `.js`
// specifier names its `.ts` file: same folder, same stem, which is all the rule looks at), so it cannot silently pass an
// import it failed to resolve, it works for folders that do not exist yet (the refactors are moving code into them),
// and its self-test (scripts/lint.test.mjs) can lint virtual files. Bare specifiers (packages) are not its business.
import { posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Client layers, top to bottom, and what each may import besides itself and common/. */
const CLIENT = {
  app: ['features', 'session', 'record', 'ui', 'data'],
  features: ['session', 'record', 'ui', 'data'],
  session: ['record', 'ui', 'data'],
  record: ['ui', 'data'],
  ui: ['data'],
  data: [],
};
const SW = ['record', 'data'];
/** Server folders that hold services: they get what they need passed in, never from the app or a route. */
const SERVICES = ['auth', 'store', 'fhir', 'notify', 'http'];
const list = (layers) => [...layers, 'common'].map((l) => `${l}/`).join(', ');

/**
 * Where a project path (posix, relative to the root) belongs: `layer` is what the table speaks of, `unit` the
 * finest part that may import itself freely (one feature, one route sub-app), `name` how messages call it.
 */
export function placeOf(path) {
  const parts = path.split('/');
  const [top, second, third, fourth] = parts;
  const stem = (name) => name.replace(/(\.[\w-]+)*\.[cm]?[jt]sx?$/, ''); // factors.test.ts → factors
  if (top === 'common' || top === 'sw') return { layer: top, unit: top, name: `${top}/` };
  if (top === 'client') {
    if (third === undefined) return { layer: 'entry', unit: path, name: path }; // client/main.ts, client/preload.ts
    if (second === 'features') {
      const area = third === 'staff' && parts.length > 4 ? `staff/${fourth}` : stem(third);
      return { layer: 'features', unit: `features/${area}`, name: `features/${area}` };
    }
    if (second in CLIENT) return { layer: second, unit: second, name: `${second}/` };
    return { layer: 'unknown', unit: `client/${second}`, name: `client/${second}/` };
  }
  if (top === 'server') {
    if (third === undefined && stem(second) === 'app')
      return { layer: 'server', zone: 'app', unit: path, name: 'server/app.ts' };
    if (second === 'routes' && third !== undefined) {
      return { layer: 'server', zone: 'routes', unit: `routes/${stem(third)}`, name: `server/routes/${stem(third)}` };
    }
    if (SERVICES.includes(second) && third !== undefined) {
      return { layer: 'server', zone: 'service', unit: `server/${second}`, name: `server/${second}/` };
    }
    return { layer: 'server', zone: 'other', unit: 'server', name: 'server/' };
  }
  return null; // scripts/, test/, bench/, root files: not layered
}

/** Why `from` may not import `to` (project paths), or null when it may. `typeOnly`: an erased `import type`. */
export function whyNot(from, to, typeOnly) {
  const a = placeOf(from);
  const b = placeOf(to);
  if (!a) return null;
  const broke = (rule) => `${a.name} must not import ${b ? b.name : to}: ${rule}`;
  if (a.layer === 'common') {
    return b?.layer === 'common' ? null : broke('common/ imports only common/ (both the page and the server run it)');
  }
  if (!b || b.layer === 'common' || (a.unit === b.unit && a.layer !== 'unknown')) return null;

  if (a.layer === 'server') {
    if (b.layer !== 'server')
      return broke('the server never imports client/ or sw/ code; move what both run to common/');
    if (a.zone === 'service' && (b.zone === 'app' || b.zone === 'routes')) {
      return broke(
        typeOnly
          ? 'services never import the app or a route, not even types: AppDeps and AppEnv belong in server/deps.ts'
          : 'services never import the app or a route; pass what they need in (server/deps.ts)',
      );
    }
    if (a.zone === 'routes' && b.zone === 'routes') {
      return broke('a route imports only its own sub-app folder; move what both need to a service or to common/');
    }
    return null;
  }
  // From here on `a` is in the page or the service worker.
  if (b.layer === 'server') {
    if (typeOnly && a.layer === 'data') return null;
    if (typeOnly) return broke('only data/ (the typed API client) takes types from the server; use what data/ exports');
    return broke('page and worker code take only `import type` from the server, in data/; move shared code to common/');
  }
  if (a.layer === 'unknown' || b.layer === 'unknown') {
    const odd = a.layer === 'unknown' ? a : b;
    return `${odd.name} is not a layer: move it into client/${Object.keys(CLIENT).join('/, ')}/ (ARCHITECTURE.md)`;
  }
  if (b.layer === 'entry') return broke('nothing imports an entry point');
  if (b.layer === 'sw') return broke('the page registers the service worker by URL and talks to it by messages');
  if (a.layer === 'entry') return null;
  if (a.layer === 'sw') return SW.includes(b.layer) ? null : broke(`sw/ may import only ${list(SW)}`);
  if (a.layer === 'features' && b.layer === 'features') {
    return broke('a feature never imports another; move what both need down to session/, record/ or ui/');
  }
  if (a.layer === 'features' && b.layer === 'app') {
    return broke(
      'a feature never imports the shell; move what it needs (navigation, session, clinic) down to session/',
    );
  }
  if (CLIENT[a.layer].includes(b.layer)) return null;
  return broke(`${a.name} may import only ${list(CLIENT[a.layer])}; move what both need down a layer`);
}

/** The specifier string of a literal or of a template literal without expressions, else null. */
const literal = (node) =>
  node?.type === 'Literal' && typeof node.value === 'string'
    ? node.value
    : node?.type === 'TemplateLiteral' && node.expressions.length === 0
      ? node.quasis[0].value.cooked
      : null;

export const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep imports pointing down the layers of ARCHITECTURE.md' },
    schema: [],
    messages: { layer: '{{why}}' },
  },
  create(context) {
    const file = relative(root, context.filename).split(sep).join('/');
    if (file.startsWith('..') || file.startsWith('node_modules/')) return {};
    const check = (node, specifier, typeOnly) => {
      if (typeof specifier !== 'string' || !/^\.\.?\//.test(specifier)) return;
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      if (target.startsWith('..')) return;
      const why = whyNot(file, target, typeOnly);
      if (why) context.report({ node, messageId: 'layer', data: { why } });
    };
    return {
      // Only a declaration-level `import type` is erased; `import { type X }` keeps a side-effect import.
      ImportDeclaration: (node) => check(node.source, node.source.value, node.importKind === 'type'),
      ExportNamedDeclaration: (node) =>
        node.source && check(node.source, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node.source, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => check(node.source, literal(node.source), false),
      TSImportType: (node) => check(node, literal(node.argument?.literal ?? node.argument), true),
      TSExternalModuleReference: (node) =>
        check(node.expression, literal(node.expression), node.parent?.importKind === 'type'),
      // new URL('./worker.ts', import.meta.url): a worker or asset the bundler follows like an import.
      NewExpression(node) {
        const [spec, base] = node.arguments;
        const isMetaUrl =
          base?.type === 'MemberExpression' && base.object.type === 'MetaProperty' && base.property.name === 'url';
        if (node.callee.type === 'Identifier' && node.callee.name === 'URL' && isMetaUrl)
          check(spec, literal(spec), false);
      },
    };
  },
};

export default { meta: { name: 'mayocarelink-layers' }, rules: { imports: importsRule } };
