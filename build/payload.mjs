// The files electron-builder packs besides Electron itself, computed without Electron: the `files`
// patterns of electron-builder.yml over the app folder, plus the production dependency tree
// (`npm ls --omit=dev`) filtered by the same patterns. Used by the payload test and `npm run bench`.
// It models electron-builder's rules closely enough to guard the size (its own default exclusions of
// docs and tests are not modelled, so the figure is an upper bound).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import minimatch from 'minimatch';

function walk(dir, root, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, root, out);
    else if (e.isFile()) out.push(path.relative(root, p).split(path.sep).join('/'));
  }
  return out;
}

/** Last matching pattern wins; `fallback` for files no pattern names (production node_modules are in by default). */
function included(rel, patterns, fallback) {
  let verdict = fallback;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (minimatch(rel, negated ? p.slice(1) : p, { dot: true })) verdict = !negated;
  }
  return verdict;
}

export function productionPackages(root) {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: root, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l && path.resolve(l) !== path.resolve(root))
    .map((l) => path.relative(root, l).split(path.sep).join('/'));
}

export function payload(root) {
  const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
  const patterns = config.files;
  const files = [];
  for (const top of fs.readdirSync(root)) {
    if (top === 'node_modules' || top.startsWith('.')) continue;
    const p = path.join(root, top);
    const rels = fs.statSync(p).isDirectory() ? walk(p, root, []) : [top];
    for (const rel of rels) if (included(rel, patterns, false)) files.push(rel);
  }
  const packages = productionPackages(root);
  for (const pkg of packages) {
    for (const rel of walk(path.join(root, pkg), root, [])) {
      // A nested node_modules belongs to its own package (listed separately).
      if (rel.slice(pkg.length).includes('/node_modules/')) continue;
      if (included(rel, patterns, true)) files.push(rel);
    }
  }
  const size = (rels) => rels.reduce((n, rel) => n + fs.statSync(path.join(root, rel)).size, 0);
  const app = files.filter((f) => !f.startsWith('node_modules/'));
  const modules = files.filter((f) => f.startsWith('node_modules/'));
  return { files, packages, bytes: size(files), appBytes: size(app), moduleBytes: size(modules) };
}
