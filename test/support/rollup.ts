import type Database from 'better-sqlite3';

/** The totals' rollup table as stored, in a fixed order. */
export const storedRollup = (db: Database.Database) => db.prepare('SELECT * FROM sales_rollup ORDER BY mode, bucket, currency, state').all();

const hasColumn = (db: Database.Database, table: string, column: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);

/** Whether the sales table has migration 9's tip columns (the migration tests read ledgers from before it). */
const hasTips = (db: Database.Database) => hasColumn(db, 'sales', 'tip_amount');

/** The rollup as a brute-force GROUP BY over the sales computes it: what the triggers must have kept. */
export function rollupFromSales(db: Database.Database) {
  const tips = hasTips(db) ? ', sum(tip_amount) AS tip_amount, sum(tip_amount > 0) AS tipped_count' : '';
  return db
    .prepare(
      `SELECT mode, created_at / 900000 - (created_at % 900000 < 0) AS bucket, currency,
         iif(status = 'pending' AND paid_amount > 0, 'partly_paid', status) AS state,
         count(*) AS sale_count, sum(amount) AS amount, sum(paid_amount) AS paid_amount, sum(code_amount) AS code_amount,
         sum(cash_amount) AS cash_amount, sum(other_amount) AS other_amount, sum(change_given) AS change_given,
         sum(paid_late) AS paid_late_count${tips}
       FROM sales GROUP BY mode, bucket, currency, state ORDER BY mode, bucket, currency, state`,
    )
    .all();
}

/**
 * Sales whose stored sums or status disagree with their tenders: the sums
 * by kind must be those of the paid tenders, a sale is paid exactly when
 * they cover it (amount and tip), a cancelled or expired sale has nothing
 * taken (unless a manager voided it: what it took was handed back as
 * refunds), and a sale waiting for its tip has no tender. Empty when the store
 * kept every invariant.
 */
export function salesDisagreeingWithTenders(db: Database.Database) {
  const tips = hasTips(db);
  const voided = hasColumn(db, 'sales', 'voided_at');
  const due = tips ? 's.amount + s.tip_amount' : 's.amount';
  const awaiting = tips ? `OR (s.awaiting_tip = 1 AND EXISTS (SELECT 1 FROM tenders t WHERE t.sale_id = s.id))` : '';
  return db
    .prepare(
      `WITH paid AS (
         SELECT sale_id, sum(amount) AS paid, sum(iif(kind = 'code', amount, 0)) AS code, sum(iif(kind = 'cash', amount, 0)) AS cash,
           sum(iif(kind = 'other', amount, 0)) AS other, coalesce(sum(change), 0) AS change
         FROM tenders WHERE status = 'paid' GROUP BY sale_id)
       SELECT s.id, s.status, s.amount, s.paid_amount, p.paid FROM sales s LEFT JOIN paid p ON p.sale_id = s.id
       WHERE s.paid_amount IS NOT coalesce(p.paid, 0) OR s.code_amount IS NOT coalesce(p.code, 0) OR s.cash_amount IS NOT coalesce(p.cash, 0)
         OR s.other_amount IS NOT coalesce(p.other, 0) OR s.change_given IS NOT coalesce(p.change, 0)
         OR (s.status = 'paid') != (s.paid_amount >= ${due})
         OR (s.status IN ('cancelled', 'expired') AND s.paid_amount != 0 ${voided ? 'AND s.voided_at IS NULL' : ''})
         OR (s.status <> 'pending' AND EXISTS (SELECT 1 FROM tenders t WHERE t.sale_id = s.id AND t.status = 'pending'))
         OR (SELECT count(*) FROM tenders t WHERE t.sale_id = s.id AND t.status = 'pending') > 1
         ${awaiting}
       ORDER BY s.id`,
    )
    .all();
}
