/**
 * The host API's method names, with no dependencies: the Electron preload (sandboxed, bundled on
 * its own) builds its named methods from this list. contract.ts checks its schemas against it.
 */
import type { HostErrorBody } from './contract.js';

export const METHOD_NAMES = [
  'getState',
  'setServerEnabled',
  'restartServer',
  'getLogs',
  'callTool',
  'listProducts',
  'createProduct',
  'updateProduct',
  'deleteProduct',
  'listCategories',
  'previewImport',
  'commitImport',
  'cancelImport',
  'listImports',
  'undoImport',
  'exportXlsx',
  'exportCsv',
  'listChanges',
  'undoChange',
  'undoChanges',
  'removeSampleProducts',
  'listFields',
  'addField',
  'renameField',
  'changeFieldType',
  'moveField',
  'removeField',
  'restoreField',
  'listRemovedFields',
  'listCities',
  'addCity',
  'updateCity',
  'deleteCity',
  'setForecast',
  'getLiveWeather',
  'checkLiveWeather',
  'getSettings',
  'updateSettings',
  'getCatalogLocation',
  'testDatabase',
  'useDatabase',
  'useLocalCatalog',
  'listClients',
  'connectClient',
  'disconnectClient',
  'listBackups',
  'restoreBackup',
  'fixConfig',
  'getActivity',
  'backupData',
  'getSetup',
  'getClaudeLogs',
  'runChecks',
  'setToolEnabled',
  'moveApp',
  'getExtensions',
  'buildExtensions',
  'installExtension',
  'getExtensionFile',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

/** IPC channel names: one per method, plus the event channel. */
export const ipcChannel = (method: MethodName) => `host:${method}`;
export const EVENT_CHANNEL = 'host:event';

/** What the main process answers each IPC call with (electron/main/ipc.ts), as the preload reads it. */
export type IpcReply = { ok: true; result: unknown } | ({ ok: false } & HostErrorBody);
