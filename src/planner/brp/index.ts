/**
 * @module The block relocation planner (morning retrieval of cars packed in lanes): `solveBrp`
 * plans the relocations, `parseBrpInstances` validates benchmark-format input.
 */
export { solveBrp } from './solve.js';
export { parseBrpInstances, type BrpGroup, type BrpInstance, type BrpParseResult } from './instance.js';
export type { BrpBay, BrpMode, BrpMove, BrpOptions, BrpResult, BrpStatus, BrpVariant } from './types.js';
