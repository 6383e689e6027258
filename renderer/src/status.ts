import type { ServerStatus } from '../../electron/core/contract';

/*
 * Server statuses reach the window by two channels: snapshots it asks for (getState) and events the
 * host pushes. A snapshot answered before an event can be delivered after it; each status carries a
 * `seq` that grows with every change, so the newer of the two is kept whatever the arrival order.
 */

/** The servers a fresh snapshot lists, each as the newer of its snapshot and what is shown (a tie: the snapshot). */
export function mergeSnapshot(shown: readonly ServerStatus[], snapshot: readonly ServerStatus[]): ServerStatus[] {
  return snapshot.map((s) => {
    const current = shown.find((c) => c.name === s.name);
    return current && current.seq > s.seq ? current : s;
  });
}

/** What is shown after a status event: the event where it is newer. */
export function withEvent(shown: readonly ServerStatus[], event: ServerStatus): ServerStatus[] {
  if (!shown.some((s) => s.name === event.name && s.seq < event.seq)) return shown as ServerStatus[];
  return shown.map((s) => (s.name === event.name ? event : s));
}
