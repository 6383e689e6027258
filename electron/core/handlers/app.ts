/** The app area's handlers (api/app.ts has its methods' schemas and results). */
import { HostError } from '../errors.js';
import type { HostParts } from '../parts.js';
import { backupDatabases } from '../services/data-backup.js';
import { type schemas, type Results } from '../api/app.js';
import type { AreaHandlers } from '../api/common.js';

export function handlers(p: HostParts): AreaHandlers<typeof schemas, Results> {
  return {
    getState: async () => p.state(),
    getSettings: async () => p.settings.get(),
    updateSettings: async (patch) => {
      const before = p.settings.get();
      const after = await p.settings.update(patch);
      await p.followSettings(before, after);
      return p.settings.get();
    },
    backupData: async () => backupDatabases(p.dataDir, { products: (await p.catalog()).db, weather: p.weather().db }, 'manual'),
    moveApp: async () => {
      if (!p.runtime.relocate) throw new HostError('Only the desktop app on macOS can move itself to Applications.', 'conflict');
      return p.runtime.relocate();
    },
  };
}
