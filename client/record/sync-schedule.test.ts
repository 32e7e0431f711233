import { expect } from '@open-wc/testing';
import { SyncSchedule, SYNC_EVERY_MS, type ScheduleSeams } from './sync-schedule.js';
import { RecordSession, useRecordSession } from './record-session.js';
import type { Vault } from './vault.js';

/** A page for the schedule: its own clock (timers run when the test says), visibility and connection. */
function testPage() {
  let now = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let next = 1;
  const page = {
    visible: true,
    online: true,
    window: new EventTarget(),
    document: new EventTarget(),
    seams: undefined as unknown as ScheduleSeams,
    /** Lets `ms` pass: every timer due by then runs, in order. */
    pass(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].run();
      }
      now = until;
    },
    get pending() {
      return timers.size;
    },
    hide() {
      page.visible = false;
      page.document.dispatchEvent(new Event('visibilitychange'));
    },
    show() {
      page.visible = true;
      page.document.dispatchEvent(new Event('visibilitychange'));
    },
    goOffline() {
      page.online = false;
      page.window.dispatchEvent(new Event('offline'));
    },
    goOnline() {
      page.online = true;
      page.window.dispatchEvent(new Event('online'));
    },
  };
  page.seams = {
    setTimer: (run, ms) => {
      timers.set(next, { at: now + ms, run });
      return next++;
    },
    clearTimer: (id) => void timers.delete(id as number),
    online: () => page.online,
    visible: () => page.visible,
    window: page.window,
    document: page.document,
  };
  return page;
}

describe('the sync schedule: while the app is open, at least once a minute', () => {
  it('syncs every 45 s (under a minute) while visible and online, never more often by itself', () => {
    expect(SYNC_EVERY_MS).to.be.at.most(60_000);
    const page = testPage();
    let syncs = 0;
    const schedule = new SyncSchedule(() => syncs++, SYNC_EVERY_MS, page.seams);
    schedule.start();
    page.pass(SYNC_EVERY_MS - 1);
    expect(syncs).to.equal(0);
    page.pass(1);
    expect(syncs).to.equal(1);
    page.pass(10 * SYNC_EVERY_MS);
    expect(syncs).to.equal(11);
    expect(page.pending, 'one timer at a time').to.equal(1);
    schedule.stop();
  });

  it('syncs at once when the window regains focus, and the next timed sync comes a full interval later', () => {
    const page = testPage();
    let syncs = 0;
    const schedule = new SyncSchedule(() => syncs++, 1000, page.seams);
    schedule.start();
    page.pass(900);
    page.window.dispatchEvent(new Event('focus'));
    expect(syncs).to.equal(1);
    page.pass(999);
    expect(syncs, 'not 100 ms after the focus sync').to.equal(1);
    page.pass(1);
    expect(syncs).to.equal(2);
    schedule.stop();
  });

  it('runs no timer while the page is hidden, and syncs as soon as it is visible again', () => {
    const page = testPage();
    let syncs = 0;
    const schedule = new SyncSchedule(() => syncs++, 1000, page.seams);
    schedule.start();
    page.hide();
    expect(schedule.armed).to.equal(false);
    page.pass(60_000);
    expect(syncs, 'a background tab costs the server nothing').to.equal(0);
    page.show();
    expect(syncs).to.equal(1);
    expect(schedule.armed).to.equal(true);
    page.pass(1000);
    expect(syncs).to.equal(2);
    schedule.stop();
  });

  it('runs no timer offline, and syncs when the connection returns', () => {
    const page = testPage();
    let syncs = 0;
    const schedule = new SyncSchedule(() => syncs++, 1000, page.seams);
    schedule.start();
    page.goOffline();
    page.pass(60_000);
    expect(syncs).to.equal(0);
    expect(page.pending).to.equal(0);
    // Hidden or offline, a focus still asks (the record session says "you are offline" rather than trying).
    page.goOnline();
    expect(syncs).to.equal(1);
    page.pass(1000);
    expect(syncs).to.equal(2);
    schedule.stop();
  });

  it('does nothing once stopped (signed out): no timer, events unheard', () => {
    const page = testPage();
    let syncs = 0;
    const schedule = new SyncSchedule(() => syncs++, 1000, page.seams);
    schedule.start();
    schedule.stop();
    expect(page.pending).to.equal(0);
    page.window.dispatchEvent(new Event('focus'));
    page.goOnline();
    page.show();
    page.pass(60_000);
    expect(syncs).to.equal(0);
  });

  it('the record session: never two syncs at once, and signing out stops its schedule', async () => {
    const page = testPage();
    let started = 0;
    let finish = () => {};
    /** The record session with its sync held open until the test lets it finish (the worker is not the point). */
    class HeldSession extends RecordSession {
      override async sync() {
        started++;
        this.syncing = true;
        await new Promise<void>((resolve) => (finish = resolve));
        this.syncing = false;
        return undefined;
      }
    }
    const session = new HeldSession('acct-schedule', 'p1', async () => ({}) as Vault, {
      everyMs: 1000,
      seams: page.seams,
    });
    useRecordSession(session);
    expect(session.schedule.armed).to.equal(true);
    page.window.dispatchEvent(new Event('focus'));
    expect(started).to.equal(1);
    // While it runs: the timer, a focus, the page becoming visible, the connection returning: none starts another.
    page.pass(5000);
    page.window.dispatchEvent(new Event('focus'));
    page.show();
    page.goOnline();
    expect(started, 'one sync at a time').to.equal(1);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    page.pass(1000);
    expect(started).to.equal(2);
    finish();
    // Signing out (the session controller announces it on window) locks the record and ends the schedule.
    dispatchEvent(new Event('mcl-signed-out'));
    expect(session.schedule.armed).to.equal(false);
    page.pass(60_000);
    page.window.dispatchEvent(new Event('focus'));
    expect(started).to.equal(2);
  });
});
