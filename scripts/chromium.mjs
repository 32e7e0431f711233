// The one place that says how Chromium is started here, for web-test-runner and the end-to-end tests alike.
// Debian's build (apt-get install chromium); no test tool downloads a browser of its own.
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Keeps the browser off the closed network: without the resolver rule it keeps trying to reach Google's hosts.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export const chromiumLaunchOptions = { executablePath: chromiumPath, args: chromiumArgs, headless: true };
