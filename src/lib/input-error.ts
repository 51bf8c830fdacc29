// The error for bad input: its message names the input and the accepted form. A module of its own so that
// stages validating their part of the inputs need not import config/inputs.ts (no cycles).
export class InputError extends Error {}
