import { describe, expect, it } from 'vitest';
import { mergeSnapshot, withEvent } from '../../renderer/src/status.js';
import type { ServerStatus } from '../../electron/core/contract.js';
import { serverStatus } from '../helpers/status.js';

const status = (over: Partial<ServerStatus>) => serverStatus({ name: 'weather', state: 'running', pid: 42, ...over });

describe('server statuses arriving by two channels', () => {
  it('a snapshot answered before a status event, but delivered after it, does not put the older status back', () => {
    // Switched off: the window asks for a fresh snapshot (HTTP) while the host pushes "stopped" (events).
    const shown = [status({ name: 'products', title: 'Products', seq: 3 }), status({ seq: 5 })];
    const afterEvent = withEvent(shown, status({ state: 'stopped', enabled: false, pid: null, seq: 7 }));
    const snapshot = [
      status({ name: 'products', title: 'Products', seq: 3 }),
      status({ state: 'stopping', enabled: false, pid: null, seq: 6 }),
    ];
    const merged = mergeSnapshot(afterEvent, snapshot);
    expect(merged.map((s) => [s.name, s.state])).toEqual([
      ['products', 'running'],
      ['weather', 'stopped'],
    ]);
  });

  it('a newer snapshot wins, and so does an equal one (it has the settings read after the event)', () => {
    const shown = [status({ seq: 5 })];
    expect(mergeSnapshot(shown, [status({ seq: 6, state: 'stopping' })])[0]!.state).toBe('stopping');
    expect(mergeSnapshot(shown, [status({ seq: 5, enabled: false })])[0]!.enabled).toBe(false);
  });

  it('an event older than what is shown is ignored; one for a server not shown is ignored too', () => {
    const shown = [status({ seq: 9, state: 'running' })];
    expect(withEvent(shown, status({ seq: 8, state: 'starting' }))[0]!.state).toBe('running');
    expect(withEvent(shown, status({ seq: 10, state: 'stopping' }))[0]!.state).toBe('stopping');
    expect(withEvent(shown, status({ name: 'products', seq: 99 }))).toEqual(shown);
  });

  it('the servers the snapshot lists are the ones shown, in its order', () => {
    const shown = [status({ seq: 9 })];
    const merged = mergeSnapshot(shown, [status({ name: 'products', title: 'Products', seq: 1 }), status({ seq: 2 })]);
    expect(merged.map((s) => [s.name, s.seq])).toEqual([
      ['products', 1],
      ['weather', 9],
    ]);
  });
});
