// Issue 26, item 1: a broken Claude config without a text editor. The status shows the lines around
// the place it breaks; where one fix is sure (a trailing comma, closing brackets a cut file lacks)
// it is offered with the lines after it, and applied after a backup; anything else is left alone.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConnectors, writeFileIn } from '../helpers/host.js';

const connectorsSetup = useConnectors();
const write = writeFileIn;
const CONFIG =
  '{\n  "mcpServers": {\n    "filesystem": { "command": "npx", "args": ["-y", "server-filesystem"] }\n  },\n  "globalShortcut": "Alt+Space"\n}\n';

describe('a broken config, shown and fixed', () => {
  it('a trailing comma: the broken line marked, the fix shown and applied after a backup; then Connect works', async () => {
    const { connectors, file, dataDir } = connectorsSetup();
    const broken = CONFIG.replace('"Alt+Space"\n', '"Alt+Space",\n');
    write(file, broken);
    const status = connectors.status('claude-desktop');
    expect(status.state).toBe('error');
    expect(status.problem).toMatchObject({ line: 6, column: 1, reason: expect.stringMatching(/trailing comma/) });
    expect(status.problem!.excerpt.map((l) => l.n)).toEqual([3, 4, 5, 6]);
    expect(status.problem!.excerpt.find((l) => l.n === 5)!.text).toBe('  "globalShortcut": "Alt+Space",');
    expect(status.problem!.fix).toMatchObject({ description: 'Take out the comma at the end of line 5' });
    expect(status.problem!.fix!.excerpt.find((l) => l.n === 5)!.text).toBe('  "globalShortcut": "Alt+Space"');
    const r = await connectors.fixConfig('claude-desktop');
    expect(r).toMatchObject({ changed: true, status: { state: 'not-connected', problem: null } });
    expect(fs.readFileSync(file, 'utf8')).toBe(CONFIG);
    expect(fs.readFileSync(path.join(dataDir, 'backups', 'claude-desktop', r.backup!), 'utf8')).toBe(broken);
    expect((await connectors.connect('claude-desktop')).status.state).toBe('connected');
  });

  it('a file cut short: the closing brackets it lacks are put back', async () => {
    const { connectors, file } = connectorsSetup();
    write(file, '{\n  "mcpServers": {\n    "filesystem": { "command": "npx", "args": ["-y"] }\n');
    const status = connectors.status('claude-desktop');
    expect(status.problem!.fix!.description).toBe('Put back the 2 closing brackets the file ends without');
    await connectors.fixConfig('claude-desktop');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ mcpServers: { filesystem: { command: 'npx', args: ['-y'] } } });
  });

  it('no sure fix (a missing comma between two keys): shown, not fixed, the file untouched', async () => {
    const { connectors, file } = connectorsSetup();
    const broken = CONFIG.replace('  },\n', '  }\n');
    write(file, broken);
    const status = connectors.status('claude-desktop');
    expect(status.problem).toMatchObject({ line: 5, reason: 'a comma is missing', fix: null });
    await expect(connectors.fixConfig('claude-desktop')).rejects.toThrow(
      /There is no sure fix .* fix it by hand at that place, or restore a backup/,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(broken);
  });

  it('a file that reads fine: nothing to fix, nothing written', async () => {
    const { connectors, file } = connectorsSetup();
    write(file, CONFIG);
    expect(await connectors.fixConfig('claude-desktop')).toMatchObject({ changed: false, backup: null });
    expect(fs.readFileSync(file, 'utf8')).toBe(CONFIG);
  });
});
