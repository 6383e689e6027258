import { useCallback, useEffect, useRef, useState } from 'react';
import type { HostEvent } from '../../electron/core/contract';
import { onHostEvent } from './host';

export interface Async<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads data, and reloads it when the host says it changed (events matching `when`). */
export function useHostData<T>(load: () => Promise<T>, when?: (e: HostEvent) => boolean, deps: unknown[] = []): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error: Error) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, []);
  useEffect(reload, deps);
  const whenRef = useRef(when);
  whenRef.current = when;
  useEffect(() => onHostEvent((e) => whenRef.current?.(e) && reload()), [reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function useHostEvent(listener: (e: HostEvent) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => onHostEvent((e) => ref.current(e)), []);
}

/** Re-renders every `ms` (for "2 min ago" and uptimes). */
export function useNow(ms = 10_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Follows the system's light/dark setting. */
export function useDarkMode(): boolean {
  const [dark, setDark] = useState(() => matchMedia('(prefers-color-scheme: dark)').matches);
  useEffect(() => {
    const m = matchMedia('(prefers-color-scheme: dark)');
    const on = () => setDark(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return dark;
}
