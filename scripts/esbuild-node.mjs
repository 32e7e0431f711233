// How TypeScript meant for Node 20 is bundled here (Node 20 cannot run .ts): ES modules, dependencies left in
// node_modules, source maps inline so stack traces point at the .ts lines. Used by the test runner and run-ts.
export function nodeBundle(root, options) {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
    ...options,
  };
}
