import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { ServerState, ClientState } from '../../../electron/core/contract';

type ToastLevel = 'info' | 'success' | 'warning' | 'error';
/** A button in a notice ("Undo"): pressing it runs `run` and dismisses the notice. */
export interface ToastAction {
  label: string;
  run: () => void;
}
interface Toast {
  id: number;
  level: ToastLevel;
  message: string;
  action?: ToastAction;
}
const ToastContext = createContext<(level: ToastLevel, message: string, action?: ToastAction) => void>(() => {});
const ToastList = createContext<{ toasts: Toast[]; dismiss: (id: number) => void }>({ toasts: [], dismiss: () => {} });
export const useToast = () => useContext(ToastContext);

/** Messages for the person: announced to screen readers, dismissed after a while or by hand (shown by ToastRegion). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (level: ToastLevel, message: string, action?: ToastAction) => {
      const id = ++next.current;
      // Three at most: a pile of notices pushes the page they are about out of sight.
      setToasts((t) => [...t.slice(-2), { id, level, message, ...(action ? { action } : {}) }]);
      // A notice with an action stays longer: time to read it and decide.
      setTimeout(() => dismiss(id), level === 'error' ? 12_000 : action ? 12_000 : 6000);
    },
    [dismiss],
  );
  const list = useMemo(() => ({ toasts, dismiss }), [toasts, dismiss]);
  return (
    <ToastContext.Provider value={push}>
      <ToastList.Provider value={list}>{children}</ToastList.Provider>
    </ToastContext.Provider>
  );
}

/**
 * Where notices show: a bar above the page (the page scrolls below it), like a browser's info bar,
 * so a notice never covers what it is about.
 */
export function ToastRegion() {
  const { toasts, dismiss } = useContext(ToastList);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.level}`} role={t.level === 'error' ? 'alert' : undefined}>
          <span>{t.message}</span>
          {t.action && (
            <button
              type="button"
              className="toast-action"
              onClick={() => {
                dismiss(t.id);
                t.action!.run();
              }}
            >
              {t.action.label}
            </button>
          )}
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

const SERVER_WORDS: Record<ServerState, string> = {
  running: 'Running',
  starting: 'Starting…',
  stopping: 'Stopping…',
  stopped: 'Stopped',
  crashed: 'Crashed — restarting',
  'crash-loop': 'Keeps crashing',
};
const CLIENT_WORDS: Record<ClientState, string> = {
  connected: 'Connected',
  'not-connected': 'Not connected',
  'not-installed': 'Not installed',
  outdated: 'Needs repair',
  'entry-missing': 'Entries missing',
  error: 'Config file has an error',
};
const TONE: Record<ServerState | ClientState, 'ok' | 'busy' | 'idle' | 'bad' | 'warn'> = {
  running: 'ok',
  connected: 'ok',
  starting: 'busy',
  stopping: 'busy',
  stopped: 'idle',
  'not-connected': 'idle',
  'not-installed': 'idle',
  crashed: 'warn',
  outdated: 'warn',
  'entry-missing': 'warn',
  'crash-loop': 'bad',
  error: 'bad',
};

export function StatusPill({ state, kind }: { state: ServerState | ClientState; kind: 'server' | 'client' }) {
  const words = kind === 'server' ? SERVER_WORDS[state as ServerState] : CLIENT_WORDS[state as ClientState];
  return (
    <span className={`pill pill-${TONE[state]}`} data-state={state}>
      <span className="dot" aria-hidden="true" />
      {words}
    </span>
  );
}

export function Switch({
  checked,
  onChange,
  label,
  disabled,
  name,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  label: string;
  disabled?: boolean;
  /** What a screen reader calls it when `label` alone does not say ("On" beside a server's name). */
  name?: string;
}) {
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-checked={checked}
        aria-label={name}
      />
      <span className="track" aria-hidden="true" />
      <span className="switch-label">{label}</span>
    </label>
  );
}

/** A modal built on <dialog>: focus is trapped and Escape closes it. */
export function Dialog({
  title,
  open,
  onClose,
  children,
  wide,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className={wide ? 'wide' : undefined} aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      {open && (
        <>
          <header className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="icon" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          {children}
        </>
      )}
    </dialog>
  );
}

export function Confirm({
  open,
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
  danger,
}: {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
}) {
  return (
    <Dialog title={title} open={open} onClose={onCancel}>
      <p>{message}</p>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} autoFocus>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <p>{error.message}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What to show while data has not arrived: the error with a retry, or a loading line. */
export function Pending({ state, what }: { state: { error: Error | undefined; reload: () => void }; what: string }) {
  return state.error ? <ErrorBox error={state.error} retry={state.reload} /> : <Loading what={what} />;
}

export function CopyButton({ text, label = 'Copy', name }: { text: string; label?: string; name?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      aria-label={name}
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

/**
 * A <details> that opens by itself when `open` becomes true (something needs attention) and
 * otherwise stays as the person left it: a plain `open` prop would close it again on every render.
 */
export function Disclosure({
  summary,
  open: wanted,
  className,
  children,
}: {
  summary: ReactNode;
  open?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(wanted ?? false);
  useEffect(() => {
    if (wanted) setOpen(true);
  }, [wanted]);
  return (
    <details className={className} open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

/** A form's last lines: its error (announced) and Cancel beside the submit button. */
export function FormActions({
  error,
  submitLabel,
  onCancel,
  className,
}: {
  error: string | null;
  submitLabel: string;
  onCancel: () => void;
  /** Extra class for both lines (a grid form's `span-all`). */
  className?: string;
}) {
  const cls = (base: string) => (className ? `${base} ${className}` : base);
  return (
    <>
      {error && (
        <p className={cls('error-text')} role="alert">
          {error}
        </p>
      )}
      <div className={cls('actions')}>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </div>
    </>
  );
}

/**
 * A button that opens a short menu of actions (WAI-ARIA menu button): Enter, Space or ↓ open it
 * with the first item focused, ↑/↓/Home/End move, Escape closes it and gives focus back to the
 * button, choosing an item or clicking elsewhere closes it.
 */
export function MenuButton({ label, items }: { label: string; items: Array<{ label: string; onSelect: () => void }> }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const entries = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
  const focusAt = (i: number) => {
    const all = entries();
    all[(i + all.length) % all.length]?.focus();
  };
  useEffect(() => {
    if (!open) return;
    entries()[0]?.focus();
    const away = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const at = entries().indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusAt(at + 1),
      ArrowUp: () => focusAt(at - 1),
      Home: () => focusAt(0),
      End: () => focusAt(-1),
      Escape: close,
      Tab: () => setOpen(false),
    };
    const move = moves[e.key];
    if (!move) return;
    if (e.key !== 'Tab') e.preventDefault();
    move();
  };
  return (
    <span className="menu-button">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div ref={menu} id={id} role="menu" aria-label={label} className="menu" onKeyDown={onMenuKey}>
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                close();
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
