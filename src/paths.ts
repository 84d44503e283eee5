import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The code runs from src/ under tsx and vitest, and from dist/src/ once built: find the
// project root by its package.json rather than by a fixed depth.
function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'db'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no project root above ${start}`);
    dir = parent;
  }
}

/** The project's top folder. */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
/** Numbered `.sql` migrations. */
export const migrationsDir = path.join(projectRoot, 'db', 'migrations');
/** The source documents a new database is seeded from. */
export const seedDir = path.join(projectRoot, 'db', 'seed');
