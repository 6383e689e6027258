import Store from 'electron-store';
import type { Bounds } from './security.js';

/** Desktop-only state (the host's shared settings live in settings.json, not here). */
export interface DesktopState {
  bounds?: Bounds;
  lastPage?: string;
  /** Notifications are on unless the person turned them off. */
  notifications: boolean;
}

export function createDesktopStore(): Store<DesktopState> {
  return new Store<DesktopState>({
    name: 'desktop',
    defaults: { notifications: true },
    schema: {
      bounds: {
        type: 'object',
        properties: {
          x: { type: 'number' },
          y: { type: 'number' },
          width: { type: 'number', minimum: 400 },
          height: { type: 'number', minimum: 300 },
        },
        required: ['width', 'height'],
      },
      lastPage: { type: 'string', maxLength: 20 },
      notifications: { type: 'boolean' },
    },
    clearInvalidConfig: true,
  });
}
