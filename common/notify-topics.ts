/**
 * What a patient can be told about, and by which channels (sign-up and Account → Notifications). Mail and texts
 * never carry clinical content: only that there is news, and where to sign in. The full matrix comes later
 * ([8/11]); these are the topics the server sends today.
 */
export const NOTIFY_TOPICS = [
  { key: 'newMessage', label: 'A new message from your care team' },
  { key: 'appointmentReminder', label: 'Appointment reminders' },
  { key: 'newResult', label: 'A new test result' },
] as const;

export type NotifyTopic = (typeof NOTIFY_TOPICS)[number]['key'];
export interface NotifyChannels {
  email: boolean;
  text: boolean;
}
export type NotifyPrefs = Record<NotifyTopic, NotifyChannels>;

/** Until a person chooses: email for everything, no texts (a number may not be given yet). */
export const DEFAULT_NOTIFY: NotifyPrefs = {
  newMessage: { email: true, text: false },
  appointmentReminder: { email: true, text: false },
  newResult: { email: true, text: false },
};

/** Stored choices (JSON, possibly from before a topic existed) with every topic filled in. */
export function readNotifyPrefs(stored: string | null | undefined): NotifyPrefs {
  let parsed: Partial<Record<string, Partial<NotifyChannels>>>;
  try {
    parsed = JSON.parse(stored || '{}') ?? {};
  } catch {
    parsed = {};
  }
  const prefs = {} as NotifyPrefs;
  for (const { key } of NOTIFY_TOPICS) {
    const saved = parsed[key];
    prefs[key] = {
      email: typeof saved?.email === 'boolean' ? saved.email : DEFAULT_NOTIFY[key].email,
      text: typeof saved?.text === 'boolean' ? saved.text : DEFAULT_NOTIFY[key].text,
    };
  }
  return prefs;
}
