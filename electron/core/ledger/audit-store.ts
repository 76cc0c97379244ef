import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditPage } from '../../shared/domain/audit';
import type { Actor } from '../../shared/domain/people';
import { immediate } from './db/transaction';
import { parseInput as parse } from './parse-input';

/**
 * The audit log (migration 11): who did what and when, append-only (the
 * schema's triggers refuse UPDATE and DELETE). `append` may be called inside
 * another store's transaction (it becomes a savepoint of it), so a refund,
 * a shift's close or a settings change and its audit entry are written
 * together or not at all.
 */

const MAX_SUMMARY_CHARS = 500;
const DEFAULT_PAGE = 50;

const appendInput = z
  .object({
    action: z.enum(AUDIT_ACTIONS),
    actor: z.object({ id: z.number().int().positive(), name: z.string(), role: z.string() }).nullable(),
    summary: z.string().min(1),
    detail: z.record(z.string(), z.unknown()).optional(),
    saleId: z.number().int().positive().nullish(),
    shiftId: z.number().int().positive().nullish(),
  })
  .strict();
const pageInput = z
  .object({
    cursor: z.string().regex(/^\d+$/, 'is not a cursor this log issued').nullish(),
    limit: z.number().int().min(1).max(1000).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
  })
  .strict();

export interface AuditInput {
  action: AuditAction;
  /** Who did it; null before the owner existed (or a failed PIN for nobody known). */
  actor: Actor | null;
  summary: string;
  detail?: Record<string, unknown>;
  saleId?: number | null;
  shiftId?: number | null;
}

interface AuditRow {
  id: number;
  at: number;
  person_id: number | null;
  person_name: string | null;
  action: AuditAction;
  summary: string;
  detail: string;
  sale_id: number | null;
  shift_id: number | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  personId: r.person_id,
  personName: r.person_name,
  action: r.action,
  summary: r.summary,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
  saleId: r.sale_id,
  shiftId: r.shift_id,
});

export interface AuditStoreOptions {
  db: Database.Database;
  now: () => number;
  ensureOpen: () => void;
}

export type AuditStore = ReturnType<typeof createAuditStore>;

export function createAuditStore({ db, now, ensureOpen }: AuditStoreOptions) {
  const stmt = {
    insert: db.prepare(
      `INSERT INTO audit_log (at, person_id, person_name, action, summary, detail, sale_id, shift_id)
       VALUES (@at, @personId, @personName, @action, @summary, @detail, @saleId, @shiftId)`,
    ),
    byId: db.prepare('SELECT * FROM audit_log WHERE id = ?'),
    all: db.prepare('SELECT * FROM audit_log ORDER BY id'),
  };

  /** Appends one entry (in the caller's transaction when there is one) and answers it as stored. */
  function append(input: AuditInput): AuditEntry {
    ensureOpen();
    const entry = parse(appendInput, input, 'audit entry');
    const summary = entry.summary.length > MAX_SUMMARY_CHARS ? `${entry.summary.slice(0, MAX_SUMMARY_CHARS - 1)}…` : entry.summary;
    return immediate(db, () => {
      const { lastInsertRowid } = stmt.insert.run({
        at: now(),
        personId: entry.actor?.id ?? null,
        personName: entry.actor?.name.slice(0, 40) ?? null,
        action: entry.action,
        summary,
        detail: JSON.stringify(entry.detail ?? {}),
        saleId: entry.saleId ?? null,
        shiftId: entry.shiftId ?? null,
      });
      return toEntry(stmt.byId.get(lastInsertRowid) as AuditRow);
    });
  }

  /** Newest first; the cursor is the last id of the page before. */
  function page(options: unknown = {}): AuditPage {
    ensureOpen();
    const p = parse(pageInput, options, 'audit page');
    const limit = p.limit ?? DEFAULT_PAGE;
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: limit + 1 };
    if (p.cursor) {
      where.push('id < @before');
      params.before = Number(p.cursor);
    }
    if (p.action) {
      where.push('action = @action');
      params.action = p.action;
    }
    const rows = db
      .prepare(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`)
      .all(params) as AuditRow[];
    const entries = rows.slice(0, limit).map(toEntry);
    return { entries, nextCursor: rows.length > limit ? String(entries[entries.length - 1]!.id) : null };
  }

  /** Every entry, oldest first, one row at a time (the export). */
  function* iterate(): Generator<AuditEntry> {
    ensureOpen();
    for (const row of stmt.all.iterate() as Iterable<AuditRow>) yield toEntry(row);
  }

  return { append, page, iterate };
}
