// Connecting to a huge client config: ~/.claude.json grows to tens of MB (Claude Code keeps every
// project's history in it). The click goes through the real CLI; the file is parsed once per click.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A ~/.claude.json-like file of about `mb` megabytes: many projects, each with a long history. */
function claudeJson(mb) {
  const projects = {};
  let size = 0;
  for (let p = 0; size < mb * 1024 * 1024; p++) {
    const history = Array.from({ length: 200 }, (_, i) => ({
      display: `fix the failing test in module ${p}-${i} and explain why`,
      pastedContents: {},
    }));
    const project = { allowedTools: [], history, mcpServers: {}, hasTrustDialogAccepted: true };
    projects[`/home/ann/code/project-${p}`] = project;
    size += JSON.stringify(project, null, 4).length;
  }
  return JSON.stringify(
    { numStartups: 412, theme: 'dark', mcpServers: { github: { type: 'stdio', command: 'gh-mcp', args: [] } }, projects },
    null,
    2,
  );
}

function runCli(root, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'bin', 'mcp-tray.js'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let peakKb = 0;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        /* exited */
      }
    }, 10);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`mcp-tray ${args.join(' ')} failed: ${stderr}`));
      else resolve({ ms: performance.now() - t0, peakMb: peakKb / 1024 });
    });
  });
}

export async function run({ root, tmp }) {
  console.log('\n## Connect / disconnect Claude Code with a huge ~/.claude.json (through the CLI, one process per click)');
  const rows = {};
  for (const mb of [0.01, 27, 60]) {
    const dir = path.join(tmp, `claude-json-${mb}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, '.claude.json');
    fs.writeFileSync(file, claudeJson(mb));
    const actualMb = fs.statSync(file).size / 1024 / 1024;
    const args = (verb) => [verb, 'claude-code', '--config', file, '--data-dir', path.join(dir, 'data')];
    const connect = await runCli(root, args('connect'));
    const disconnect = await runCli(root, args('disconnect'));
    rows[`${actualMb.toFixed(1)} MB`] = { connect, disconnect };
    console.log(
      `${`${actualMb.toFixed(1)} MB`.padStart(8)}  connect ${connect.ms.toFixed(0).padStart(5)} ms (peak RSS ${connect.peakMb.toFixed(0)} MB)   disconnect ${disconnect.ms.toFixed(0).padStart(5)} ms (peak RSS ${disconnect.peakMb.toFixed(0)} MB)`,
    );
  }
  console.log('target: connect to a 60 MB file in under 3 s (was 62 s and 2 GB RSS when the file was parsed 4–5 times per click)');
  return rows;
}
