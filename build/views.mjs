// MCP Apps views: each views/<name>/ becomes one self-contained HTML file in dist/views/<name>.html
// (script and styles inline; no external scripts, styles, fonts or images), which the servers
// serve as ui:// resources and the app's Try it panel shows.
import { build, transform } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * zod (which the MCP SDK and ext-apps validate messages with) re-exports every locale's error
 * messages; a view needs English only. Half the view's size.
 */
const englishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: 'zod-locales', namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(root, 'node_modules', 'zod', 'v4', 'locales', 'en.js'))};`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'";

export async function buildViews(outDir) {
  const views = fs.readdirSync(path.join(root, 'views')).filter((d) => fs.existsSync(path.join(root, 'views', d, 'main.ts')));
  fs.mkdirSync(outDir, { recursive: true });
  const sizes = {};
  for (const name of views) {
    const js = await build({
      entryPoints: [path.join(root, 'views', name, 'main.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      plugins: [englishOnly],
      logLevel: 'warning',
    });
    const css = await transform(
      fs.readFileSync(path.join(root, 'views', 'shared', 'base.css'), 'utf8') +
        fs.readFileSync(path.join(root, 'views', name, 'style.css'), 'utf8'),
      { loader: 'css', minify: true },
    );
    const script = js.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
    const style = css.code.replace(/<\/style/gi, '<\\/style');
    const html =
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<meta http-equiv="Content-Security-Policy" content="${CSP}"><title>MCP Tray — ${name}</title><style>${style}</style></head>` +
      `<body><main id="app" aria-live="polite"></main><p id="status" class="status" role="status"></p>` +
      `<script type="module">${script}</script></body></html>\n`;
    fs.writeFileSync(path.join(outDir, `${name}.html`), html);
    sizes[name] = html.length;
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildViews(path.join(root, 'dist', 'views')));
}
