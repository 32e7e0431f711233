import { matchPath } from '../session/route-preload.js';
/**
 * The app's routes. Each page's code is loaded on first visit (a separate chunk), so the first paint needs only the
 * shell; the service worker precaches every chunk, so every route also opens offline.
 */
export interface Route {
  /** Exact path, or a prefix ending in `/*`. */
  path: string;
  /** The tag of the page element, and its title for the document and the navigation. */
  tag: string;
  title: string;
  /** Shown in the main navigation: always, only when signed out, only when signed in, or never. */
  nav: 'always' | 'signed-out' | 'signed-in' | 'patient' | 'staff' | 'admin' | false;
  load: () => Promise<unknown>;
  /** What the page adds for a signed-in person (Home's dashboard), fetched ahead while the person signs in or unlocks. */
  loadSignedIn?: () => Promise<unknown>;
}

export const routes: Route[] = [
  {
    path: '/',
    tag: 'mcl-home-page',
    title: 'Home',
    nav: 'always',
    load: () => import('../features/home/home-page.js'),
    loadSignedIn: () => import('../features/home/dashboard.js'),
  },
  {
    path: '/staff/refills',
    tag: 'mcl-refill-queue-page',
    title: 'Refill requests',
    nav: 'staff',
    load: () => import('../features/staff/refills/refill-queue-page.js'),
  },
  {
    path: '/staff/messages',
    tag: 'mcl-message-inbox-page',
    title: 'Messages',
    nav: 'staff',
    load: () => import('../features/staff/messages/message-inbox-page.js'),
  },
  {
    path: '/records',
    tag: 'mcl-records-page',
    title: 'Health record',
    nav: 'patient',
    load: () => import('../features/records/records-page.js'),
  },
  {
    path: '/records/results',
    tag: 'mcl-results-page',
    title: 'Test results',
    nav: false,
    load: () => import('../features/records/results-page.js'),
  },
  {
    path: '/records/test',
    tag: 'mcl-test-history-page',
    title: 'Test history',
    nav: false,
    load: () => import('../features/records/test-history-page.js'),
  },
  {
    path: '/records/medications',
    tag: 'mcl-medications-page',
    title: 'Medications',
    nav: false,
    load: () => import('../features/records/medications-page.js'),
  },
  {
    path: '/refills',
    tag: 'mcl-refills-page',
    title: 'Refills',
    nav: false,
    load: () => import('../features/refills/refills-page.js'),
  },
  {
    path: '/records/visits',
    tag: 'mcl-visits-page',
    title: 'Visits',
    nav: false,
    load: () => import('../features/records/visits-page.js'),
  },
  {
    path: '/records/allergies',
    tag: 'mcl-allergies-page',
    title: 'Allergies',
    nav: false,
    load: () => import('../features/records/allergies-page.js'),
  },
  {
    path: '/records/immunizations',
    tag: 'mcl-immunizations-page',
    title: 'Immunizations',
    nav: false,
    load: () => import('../features/records/immunizations-page.js'),
  },
  {
    path: '/records/conditions',
    tag: 'mcl-conditions-page',
    title: 'Health problems',
    nav: false,
    load: () => import('../features/records/conditions-page.js'),
  },
  {
    path: '/records/procedures',
    tag: 'mcl-procedures-page',
    title: 'Procedures',
    nav: false,
    load: () => import('../features/records/procedures-page.js'),
  },
  {
    path: '/records/search',
    tag: 'mcl-search-page',
    title: 'Search your record',
    nav: false,
    load: () => import('../features/records/search-page.js'),
  },
  {
    path: '/records/documents',
    tag: 'mcl-documents-page',
    title: 'Documents',
    nav: false,
    load: () => import('../features/records/documents-page.js'),
  },
  {
    path: '/records/export',
    tag: 'mcl-export-page',
    title: 'Download for another clinic',
    nav: false,
    load: () => import('../features/records/export-page.js'),
  },
  {
    path: '/messages',
    tag: 'mcl-messages-page',
    title: 'Messages',
    nav: 'patient',
    load: () => import('../features/messages/messages-page.js'),
  },
  {
    path: '/messages/new',
    tag: 'mcl-compose-page',
    title: 'Write a new message',
    nav: false,
    load: () => import('../features/messages/compose-page.js'),
  },
  {
    path: '/messages/conversation',
    tag: 'mcl-conversation-page',
    title: 'Conversation',
    nav: false,
    load: () => import('../features/messages/conversation-page.js'),
  },
  {
    path: '/appointments',
    tag: 'mcl-appointments-page',
    title: 'Appointments',
    nav: 'patient',
    load: () => import('../features/appointments/appointments-page.js'),
  },
  {
    path: '/appointments/book',
    tag: 'mcl-book-page',
    title: 'Book a visit',
    nav: false,
    load: () => import('../features/appointments/book-page.js'),
  },
  {
    path: '/appointments/request',
    tag: 'mcl-request-page',
    title: 'Ask for an appointment',
    nav: false,
    load: () => import('../features/appointments/request-page.js'),
  },
  {
    path: '/staff/schedule',
    tag: 'mcl-day-schedule-page',
    title: 'Schedule',
    nav: 'staff',
    load: () => import('../features/staff/schedule/day-schedule-page.js'),
  },
  {
    path: '/staff/requests',
    tag: 'mcl-appointment-requests-page',
    title: 'Appointment requests',
    nav: 'staff',
    load: () => import('../features/staff/requests/appointment-requests-page.js'),
  },
  {
    path: '/staff/guardians',
    tag: 'mcl-guardians-page',
    title: 'Guardians',
    nav: 'staff',
    load: () => import('../features/staff/guardians/guardians-page.js'),
  },
  {
    path: '/staff/scheduling',
    tag: 'mcl-scheduling-page',
    title: 'Scheduling',
    nav: 'admin',
    load: () => import('../features/staff/scheduling/scheduling-page.js'),
  },
  {
    path: '/account/security',
    tag: 'mcl-security-page',
    title: 'Account',
    nav: 'signed-in',
    load: () => import('../features/account/security-page.js'),
  },
  {
    path: '/account/access-log',
    tag: 'mcl-access-log-page',
    title: 'Access log',
    nav: false,
    load: () => import('../features/account/access-log-page.js'),
  },
  {
    path: '/account/protect',
    tag: 'mcl-protect-page',
    title: 'Protect your account',
    nav: false,
    load: () => import('../features/account/protect-page.js'),
  },
  {
    path: '/account/sharing',
    tag: 'mcl-sharing-page',
    title: 'Sharing your portal',
    nav: false,
    load: () => import('../features/caregivers/sharing-page.js'),
  },
  {
    path: '/account/add-caregiver',
    tag: 'mcl-add-caregiver-page',
    title: 'Add a caregiver',
    nav: false,
    load: () => import('../features/caregivers/add-caregiver-page.js'),
  },
  {
    path: '/account/people',
    tag: 'mcl-people-page',
    title: 'People you help',
    nav: false,
    load: () => import('../features/caregivers/people-page.js'),
  },
  {
    path: '/caregiver-invite',
    tag: 'mcl-caregiver-invite-page',
    title: 'An invitation to help',
    nav: false,
    load: () => import('../features/caregivers/caregiver-invite-page.js'),
  },
  {
    path: '/help',
    tag: 'mcl-help-page',
    title: 'Help',
    nav: 'always',
    load: () => import('../features/help/help-page.js'),
  },
  {
    path: '/sign-in',
    tag: 'mcl-sign-in-page',
    title: 'Sign in',
    nav: 'signed-out',
    load: () => import('../features/sign-in/sign-in-page.js'),
  },
  {
    path: '/sign-up',
    tag: 'mcl-sign-up-page',
    title: 'Create your account',
    nav: false,
    load: () => import('../features/sign-up/sign-up-page.js'),
  },
  {
    path: '/verify-email',
    tag: 'mcl-verify-email-page',
    title: 'Confirm your email',
    nav: false,
    load: () => import('../features/sign-up/verify-email-page.js'),
  },
  {
    path: '/confirm-email',
    tag: 'mcl-confirm-email-page',
    title: 'Confirm your new email address',
    nav: false,
    load: () => import('../features/account/confirm-email-page.js'),
  },
  {
    path: '/forgot-password',
    tag: 'mcl-forgot-password-page',
    title: 'Forgot password',
    nav: false,
    load: () => import('../features/password/forgot-password-page.js'),
  },
  {
    path: '/reset-password',
    tag: 'mcl-reset-password-page',
    title: 'Choose a new password',
    nav: false,
    load: () => import('../features/password/reset-password-page.js'),
  },
  {
    path: '/staff-enrol',
    tag: 'mcl-staff-enrol-page',
    title: 'Set up your staff account',
    nav: false,
    load: () => import('../features/staff/enrol/staff-enrol-page.js'),
  },
];

export function matchRoute(pathname: string, table: Route[] = routes): Route | undefined {
  return matchPath(pathname, table);
}
