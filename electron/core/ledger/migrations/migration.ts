/**
 * One step of the ledger's schema. `sql` is the step's text, not a function:
 * the runner stores a checksum of exactly this text, and a bundler may
 * rewrite a function's source but never a string.
 *
 * Never edit a step that has shipped (the runner refuses a ledger whose
 * recorded checksum differs): add a new file at the end instead.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
