// Builds dist/ with tsc only when a source is newer than the last build, so that `npm run admin`
// and `npm start` cost what `node dist/...` costs when nothing changed (a stat of each source),
// and still never run stale code. Plain JavaScript on purpose: loading TypeScript on the fly is
// the cost this avoids. With a script after `--`, it then runs that script in this same process
// (`build-if-stale.mjs -- dist/src/admin/cli.js import …`), which saves starting Node twice.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

/** The newest modification time under a folder, of files with one of the endings. */
function newest(dir, endings) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(file, endings));
    else if (endings.some((e) => entry.name.endsWith(e))) latest = Math.max(latest, fs.statSync(file).mtimeMs);
  }
  return latest;
}

const inputs = Math.max(
  newest(path.join(root, 'src'), ['.ts']),
  ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs),
);
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (built < inputs) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // The stamp is written before the build starts, so a source saved during the build makes the next run build again.
  const started = new Date();
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(stamp, `${started.toISOString()}\n`);
  fs.utimesSync(stamp, started, started);
}

const rest = process.argv.indexOf('--');
if (rest !== -1 && process.argv[rest + 1] !== undefined) {
  const script = path.resolve(root, process.argv[rest + 1]);
  // The script reads its own arguments from process.argv, as if Node had started it.
  process.argv = [process.argv[0], script, ...process.argv.slice(rest + 2)];
  await import(script);
}
