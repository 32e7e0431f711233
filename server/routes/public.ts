import { Hono } from 'hono';
import type { AppEnv, AppDeps } from '../deps.js';
import type { BookingRules, ClinicInfo } from '../../common/clinic.js';

export const ICONS = [
  { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
  { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
  { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
] as const;

/**
 * Public, non-clinical documents built from configuration: the Web App Manifest (so the installed app carries the
 * clinic's name and colours) and `/clinic.json` (support and urgent-care details the Help page shows, and the
 * booking rules the appointment pages say up front, offline too).
 * Both are revalidated on every use so a configuration change reaches installed apps.
 */
export function publicRoutes({ config }: AppDeps) {
  const { clinic } = config;
  return new Hono<AppEnv>()
    .get('/manifest.webmanifest', (c) => {
      c.header('Cache-Control', 'no-cache');
      c.header('Content-Type', 'application/manifest+json; charset=utf-8');
      return c.body(
        JSON.stringify({
          id: '/',
          name: clinic.name,
          short_name: clinic.shortName,
          description: `Your health record, messages and appointments at ${clinic.name}, even with no connection.`,
          lang: 'en',
          dir: 'ltr',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          orientation: 'any',
          theme_color: clinic.themeColor,
          background_color: clinic.backgroundColor,
          categories: ['health', 'medical'],
          icons: ICONS,
        }),
      );
    })
    .get('/clinic.json', (c) => {
      c.header('Cache-Control', 'no-cache');
      const booking: BookingRules = { changeCutoffHours: config.appointments.cancelCutoffMs / 3600_000 };
      return c.json({ ...clinic, booking } satisfies ClinicInfo);
    });
}
