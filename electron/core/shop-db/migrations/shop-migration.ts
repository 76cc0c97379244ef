/**
 * One step of the shop database's schema. `sql` is the step's text, not a
 * function: the runner records a checksum of exactly this text, and a
 * bundler may rewrite a function's source but never a string.
 *
 * Never edit a step that has shipped (the runner refuses a database whose
 * recorded checksum differs): add a new file at the end instead.
 */
export interface ShopMigration {
  version: number;
  name: string;
  sql: string;
}
