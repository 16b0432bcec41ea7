// Plain matrices on disk: NumPy's .npy (format 1.0–3.0, C order, little-endian floats and integers)
// and comma-separated text, read and written; what `nabla pca` and `nabla tsne` take and give.
import { readFileSync } from 'node:fs';
import { NDArray, type DType } from '../ndarray/index.js';
import { writeFileAtomic } from '../models/atomic-write.js';

const MAGIC = '\x93NUMPY';

/** The .npy descr codes read, each with its byte size and reader; the values are kept exactly in float64. */
const NPY_TYPES: Record<string, { bytes: number; read: (view: DataView, offset: number) => number }> = {
  '<f8': { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
  '<f4': { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  '<i8': { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  '<i4': { bytes: 4, read: (v, o) => v.getInt32(o, true) },
  '<i2': { bytes: 2, read: (v, o) => v.getInt16(o, true) },
  '<u2': { bytes: 2, read: (v, o) => v.getUint16(o, true) },
  '|i1': { bytes: 1, read: (v, o) => v.getInt8(o) },
  '|u1': { bytes: 1, read: (v, o) => v.getUint8(o) },
  '|b1': { bytes: 1, read: (v, o) => v.getUint8(o) },
};

/**
 * Reads a .npy file into a float64 array of its shape; errors name the file and what is wrong.
 * @example readNpy('codes.npy').shape // [10000, 2]
 */
export function readNpy(path: string): NDArray {
  const bytes = readFileSync(path);
  const fail = (why: string) => new Error(`${path}: ${why}`);
  if (bytes.length < 10 || bytes.subarray(0, 6).toString('latin1') !== MAGIC) throw fail('not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  if (major < 1 || major > 3) throw fail(`.npy format version ${major} is not supported (1 to 3 are)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  if (start > bytes.length) throw fail(`truncated: its header ends at byte ${start}, the file has ${bytes.length}`);
  const header = bytes.subarray(major === 1 ? 10 : 12, start).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw fail(`its header is not a .npy header: ${header.trim()}`);
  const type = NPY_TYPES[descr.replace(/^=/, '<')];
  if (!type) throw fail(`dtype '${descr}' is not supported (little-endian floats, integers or booleans are)`);
  if (fortran === 'True') throw fail('is in Fortran order; save it in C order (np.ascontiguousarray)');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const end = start + size * type.bytes;
  if (end > bytes.length) throw fail(`truncated at byte ${bytes.length}, expected ${end} for shape (${shape.join(', ')})`);
  const out = new NDArray('float64', shape);
  for (let i = 0; i < size; i++) out.data[i] = type.read(view, start + i * type.bytes);
  return out;
}

/**
 * Writes an array as .npy (format 1.0, C order), in its own dtype.
 * @example writeNpy('out/embedding.npy', embedding)
 */
export function writeNpy(path: string, array: NDArray): void {
  const descr: Record<DType, string> = { float32: '<f4', float64: '<f8', int32: '<i4' };
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${descr[array.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Magic, version, length and header pad with spaces to a multiple of 64 bytes, ending in a newline.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const prefix = new Uint8Array(10);
  prefix.set(Buffer.from(MAGIC, 'latin1'), 0);
  prefix[6] = 1;
  new DataView(prefix.buffer).setUint16(8, header.length, true);
  const data = array.data;
  writeFileAtomic(path, [prefix, Buffer.from(header, 'latin1'), new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]);
}

/**
 * Reads comma-separated numbers, one row per line; a first line that is not numbers is taken as a
 * header and skipped. Ragged rows and unreadable values are errors naming the line and column.
 * @example readCsv('points.csv') // float64 [N, D]
 */
export function readCsv(path: string): NDArray {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const rows: number[][] = [];
  let width = -1;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((c) => c.trim());
    const values = cells.map(Number);
    const unreadable = cells.findIndex((c, j) => c === '' || (Number.isNaN(values[j]) && !/^nan$/i.test(c)));
    if (unreadable >= 0) {
      if (rows.length === 0 && width < 0) { // a header line
        width = cells.length;
        return;
      }
      throw new Error(`${path}: line ${index + 1}, column ${unreadable + 1}: '${cells[unreadable]}' is not a number`);
    }
    if (width >= 0 && cells.length !== width) {
      throw new Error(`${path}: line ${index + 1} has ${cells.length} values, but the lines before it have ${width} (ragged rows)`);
    }
    width = cells.length;
    rows.push(values);
  });
  if (rows.length === 0) throw new Error(`${path}: holds no rows of numbers`);
  const out = new NDArray('float64', [rows.length, width]);
  rows.forEach((row, i) => out.data.set(row, i * width));
  return out;
}

/**
 * Writes a matrix as comma-separated text, with an optional header line of column names.
 * @example writeCsv('out/embedding.csv', embedding, ['x', 'y', 'label'])
 */
export function writeCsv(path: string, array: NDArray, columns?: readonly string[]): void {
  if (array.rank !== 2) throw new Error(`writeCsv: ${path}: needs a matrix, got shape [${array.shape.join(', ')}]`);
  const [n, d] = array.shape;
  const lines = columns ? [columns.join(',')] : [];
  for (let i = 0; i < n; i++) lines.push(Array.from(array.data.subarray(i * d, (i + 1) * d), (v) => String(v)).join(','));
  writeFileAtomic(path, [Buffer.from(`${lines.join('\n')}\n`)]);
}

/**
 * A matrix from a .npy or .csv file (by extension), as float64 [N, D]; a vector file reads as one column.
 * @example readMatrixFile('features.npy')
 */
export function readMatrixFile(path: string): NDArray {
  const lower = path.toLowerCase();
  let m: NDArray;
  if (lower.endsWith('.npy')) m = readNpy(path);
  else if (lower.endsWith('.csv') || lower.endsWith('.txt')) m = readCsv(path);
  else throw new Error(`${path}: not a .npy or .csv file (the extension says which)`);
  if (m.rank === 1) return m.reshape([m.shape[0], 1]);
  if (m.rank !== 2) throw new Error(`${path}: holds an array of shape [${m.shape.join(', ')}]; a matrix (N rows of D values) is needed`);
  return m;
}

/**
 * Integer class labels, one per row, from a .npy or .csv file (one column, or a single row).
 * @example readLabelsFile('labels.csv', 1000) // Int32Array(1000)
 */
export function readLabelsFile(path: string, rows: number): Int32Array {
  const m = readMatrixFile(path);
  const values = m.data;
  if (values.length !== rows) throw new Error(`${path}: holds ${values.length} labels for ${rows} rows of data`);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    if (!Number.isInteger(values[i]) || values[i] < 0) throw new Error(`${path}: label ${i} (${values[i]}) is not a non-negative integer`);
    labels[i] = values[i];
  }
  return labels;
}
