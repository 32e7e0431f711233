import { secureHeaders } from 'hono/secure-headers';

/**
 * The headers of SECURITY.md (ASVS 3.4, 14.3.2) on every response: a strict CSP with no inline script, nosniff,
 * no referrer, no framing, and HSTS only when the portal is served over HTTPS (over http://localhost it would be
 * ignored by browsers and would only confuse).
 */
export function securityHeaders(publicOrigin: string) {
  const https = publicOrigin.startsWith('https:');
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      reportUri: '/api/csp-reports',
      ...(https ? { upgradeInsecureRequests: [] } : {}),
    },
    strictTransportSecurity: https ? 'max-age=63072000; includeSubDomains' : false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      payment: [],
      usb: [],
      // Passkeys are used in this origin only.
      publickeyCredentialsGet: ['self'],
    },
  });
}
