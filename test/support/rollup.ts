import type Database from 'better-sqlite3';

/** The totals' rollup table as stored, in a fixed order. */
export const storedRollup = (db: Database.Database) => db.prepare('SELECT * FROM sales_rollup ORDER BY mode, bucket, currency').all();

/** The rollup as a brute-force GROUP BY over the sales computes it: what the triggers must have kept. */
export function rollupFromSales(db: Database.Database) {
  return db
    .prepare(
      `SELECT mode, created_at / 900000 - (created_at % 900000 < 0) AS bucket, currency,
         sum(status = 'paid') AS paid_count, sum(iif(status = 'paid', amount, 0)) AS paid_amount,
         sum(status = 'pending') AS pending_count, sum(iif(status = 'pending', amount, 0)) AS pending_amount,
         sum(status = 'cancelled') AS cancelled_count, sum(iif(status = 'cancelled', amount, 0)) AS cancelled_amount,
         sum(status = 'expired') AS expired_count, sum(iif(status = 'expired', amount, 0)) AS expired_amount,
         sum(status = 'paid' AND paid_late = 1) AS paid_late_count
       FROM sales GROUP BY mode, bucket, currency ORDER BY mode, bucket, currency`,
    )
    .all();
}
