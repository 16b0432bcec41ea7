// The native backend: loads the C++ addon and maps ops to its kernels.
import type { Backend } from '../backend.js';

export interface NativeLoad {
  backend?: Backend;
  reason?: string;
}

/** The native backend, or why it cannot be used (not built yet, or the addon failed to load). */
export function loadNativeBackend(): NativeLoad {
  return { reason: 'the native backend is not built into this version yet' };
}
