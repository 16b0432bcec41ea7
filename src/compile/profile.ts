// NABLA_PROFILE=1: time every kernel call of every compiled function and print the costliest nodes when
// the process exits, as Theano's profile mode does.
import type { Kernel } from '../backends/backend.js';
import type { Apply } from '../graph/variable.js';

const totals = new Map<string, { ms: number; calls: number }>();
let reporting = false;

function describe(node: Apply, shapes: string): string {
  const ops = node.op.name === 'fusedElementwise' ? `(${(node.attrs.ops as string[]).join(',')})` : '';
  return `${node.op.name}${ops} ${shapes}`;
}

function report(): void {
  const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  const all = rows.reduce((s, [, t]) => s + t.ms, 0);
  console.error(`nabla profile: ${all.toFixed(1)} ms in kernels`);
  for (const [key, t] of rows.slice(0, 25)) {
    console.error(`${t.ms.toFixed(2).padStart(10)} ms ${((100 * t.ms) / all).toFixed(1).padStart(5)}% ${String(t.calls).padStart(7)} calls  ${key}`);
  }
}

/** `kernel` wrapped to add its time to the process-wide table under the node's op and input shapes. */
export function profiled(kernel: Kernel, node: Apply): Kernel {
  if (!reporting) {
    reporting = true;
    process.on('exit', report);
  }
  return (inputs, attrs, n, allocate) => {
    const start = performance.now();
    const out = kernel(inputs, attrs, n, allocate);
    const key = describe(node, inputs.map((x) => `[${x.shape.join(',')}]`).join(''));
    const t = totals.get(key) ?? { ms: 0, calls: 0 };
    t.ms += performance.now() - start;
    t.calls++;
    totals.set(key, t);
    return out;
  };
}
