// The native element-wise loop's instruction set as TypeScript sees it: instructions name their opcode
// (an element-wise op, or one of the loop's own), and the addon's table (native/kernels/elementwise/
// instruction-set.h, handed over as addon.opcodes) turns names into numbers. No number is kept here.
import type { ElementwiseName } from '../../ops/index.js';

/** The loop's own instructions: load an input or a constant, copy (cast, broadcast), truncate (float to int). */
export const LOOP_OPCODES = ['input', 'const', 'copy', 'trunc'] as const;
export type LoopOpcode = (typeof LOOP_OPCODES)[number];
export type OpcodeName = ElementwiseName | LoopOpcode;
export type Opcodes = Readonly<Record<OpcodeName, number>>;

/** [opcode, dst, a, b, c]: dst = opcode(registers a, b, c); for input and const, a indexes the inputs or consts. */
export type Instruction = readonly [OpcodeName, number, number, number, number];

/** Registers available to one fused program (kRegisters in native/kernels/elementwise/elementwise.h). */
export const REGISTERS = 64;

/** The opcodes `table` lacks among `wanted`: an addon built before an op was added. */
export function missingOpcodes(table: Readonly<Record<string, number>>, wanted: readonly string[]): string[] {
  return wanted.filter((name) => !(name in table));
}

/** A program as the addon reads it: five int32 per instruction. */
export function encodeProgram(program: readonly Instruction[], opcodes: Opcodes): Int32Array {
  return Int32Array.from(program.flatMap(([op, ...operands]) => [opcodes[op], ...operands]));
}
