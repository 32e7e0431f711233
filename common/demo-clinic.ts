import type { ClinicInfo } from './clinic.js';

/** The clinic `npm start` shows when no CLINIC_CONFIG is given. Fictional numbers (555-01xx). No Node imports: the
 * element tests use it too. */
export const demoClinic: ClinicInfo = {
  name: 'Mayocarelink Demo Clinic',
  shortName: 'CareLink',
  themeColor: '#0b5d66',
  backgroundColor: '#ffffff',
  timeZone: 'America/Chicago',
  support: {
    phone: '+1 507-555-0100',
    email: 'portal-help@clinic.example',
    hours: [
      { days: 'Monday to Friday', hours: '7:00 am to 7:00 pm' },
      { days: 'Saturday', hours: '8:00 am to 12:00 noon' },
    ],
  },
  departments: [
    { id: 'primary-care', name: 'Primary care team' },
    { id: 'prescriptions', name: 'Prescriptions and pharmacy' },
    { id: 'cardiology', name: 'Cardiology' },
    { id: 'patient-services', name: 'Patient services (billing, forms, records)' },
  ],
  urgent: {
    emergencyNumber: '911',
    nurseLine: { phone: '+1 507-555-0199', hours: 'Every day, 24 hours' },
    guidance:
      'Do not use the portal for urgent needs: messages may not be read for up to two business days. ' +
      'If you think you are having a medical emergency, call your local emergency number now. ' +
      'For an urgent question that cannot wait, call the nurse line.',
  },
  // From 12 a guardian sees appointments only (a teenager's confidential care); from 18 the guardian's access ends.
  minors: { narrowAt: 12, narrowedScopes: ['appointments'], endsAt: 18 },
};
