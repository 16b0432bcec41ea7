// The dashboard's only door to the file system: a path from a request becomes a file inside the runs folder,
// or nothing. The text is checked before anything on disk is touched ('..', absolute paths, backslashes,
// NUL, encoded slashes); the real path (symlinks followed) must then still lie inside the folder.
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/** A path relative to the runs folder, or undefined when it could name something outside it. */
export function cleanRelative(text: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.startsWith('/') || isAbsolute(decoded)) return undefined;
  const parts = decoded.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return undefined;
  return parts.join(sep);
}

/** Whether `path` is `root` or lies under it (both absolute and real). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The real path of a file under `root` named by `text` (URL-encoded, '/'-separated), or undefined when the
 * text could leave the folder, nothing is there, or a symlink leads out of it. `root` must be a real path.
 * @example await resolveInside('/home/me/runs', 'mlp/filters.png') // '/home/me/runs/mlp/filters.png'
 */
export async function resolveInside(root: string, text: string): Promise<string | undefined> {
  const rel = cleanRelative(text);
  if (rel === undefined) return undefined;
  const path = join(root, rel);
  if (!isInside(root, path)) return undefined;
  try {
    const real = await realpath(path);
    return isInside(root, real) ? real : undefined;
  } catch {
    return undefined;
  }
}
