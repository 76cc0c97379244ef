import type { ShopMigration } from './shop-migration';

/** The columns every synced table starts with: who sent the record, which one, and how new. */
const SYNCED = `
          uuid       uuid        PRIMARY KEY,
          till_id    uuid        NOT NULL REFERENCES tills (id),
          local_id   bigint      NOT NULL CHECK (local_id > 0),
          version    bigint      NOT NULL CHECK (version > 0),
          synced_at  timestamptz NOT NULL DEFAULT now(),`;

/** A 0/1 column as the ledger keeps it. */
const FLAG = (name: string) => `${name} smallint NOT NULL CHECK (${name} IN (0, 1))`;

/**
 * The shop database's first schema (issue 16): the tills, one table per
 * record that syncs, and the views the owner's shop screens read.
 *
 * - Each synced table is keyed by the record's UUID (derived from the till,
 *   the entity and the ledger's id, so every push names it alike) and keeps
 *   the ledger's columns under the ledger's names, the ledger's `id` as
 *   `local_id`, and `version` (the outbox seq of the record's latest
 *   change): an upsert only ever replaces a row with a newer version.
 * - Money and times are bigint (minor units, epoch milliseconds), as in the
 *   ledger; nothing is a float but exchange rates.
 * - No foreign keys between synced tables: a record may arrive before the
 *   one it names (batches are cut anywhere), and each till's ledger already
 *   holds them to each other. Ids such as sale_id are the till's own, so a
 *   join is on (till_id, local_id).
 * - No PIN hash ever: people carry names and roles only.
 * - Views: `shop_sales` (every sale with its till's shop name),
 *   `till_day_totals` (paid sales per till, day, mode and currency) and
 *   `shop_day_totals` (the same across tills), `till_status` (each till's
 *   last push and counts). A day is the calendar day of paid_at in the
 *   session's TimeZone setting.
 *
 * The text is a constant: its checksum is recorded in
 * counter_schema_migrations, so it must never change once shipped.
 */
export const migration: ShopMigration = {
  version: 1,
  name: 'tills, the synced records and the shop views',
  sql: `
        CREATE TABLE tills (
          id         uuid        PRIMARY KEY,
          shop_name  text        NOT NULL,
          first_seen timestamptz NOT NULL DEFAULT now(),
          last_push  timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE people (${SYNCED}
          name       text   NOT NULL,
          role       text   NOT NULL,
          ${FLAG('active')},
          created_at bigint NOT NULL,
          UNIQUE (till_id, local_id)
        );

        CREATE TABLE shifts (${SYNCED}
          mode          text   NOT NULL,
          currency      text   NOT NULL,
          opened_by     bigint NOT NULL,
          opened_at     bigint NOT NULL,
          float_amount  bigint NOT NULL,
          closed_by     bigint,
          closed_at     bigint,
          counted_cash  bigint,
          expected_cash bigint,
          report        text,
          UNIQUE (till_id, local_id)
        );

        CREATE TABLE sales (${SYNCED}
          ref             text   NOT NULL,
          amount          bigint NOT NULL,
          currency        text   NOT NULL,
          mode            text   NOT NULL,
          status          text   NOT NULL,
          destination     text   NOT NULL,
          intent_id       text,
          webhook_url     text,
          created_at      bigint NOT NULL,
          updated_at      bigint NOT NULL,
          paid_at         bigint,
          cancelled_at    bigint,
          expired_at      bigint,
          quarks          bigint,
          exchange_rate   double precision,
          first_proof     text,
          ${FLAG('paid_late')},
          paid_amount     bigint NOT NULL,
          code_amount     bigint NOT NULL,
          cash_amount     bigint NOT NULL,
          other_amount    bigint NOT NULL,
          change_given    bigint NOT NULL,
          tip_amount      bigint NOT NULL,
          tip_percent     bigint,
          ${FLAG('awaiting_tip')},
          tip_chosen_by   text,
          person_id       bigint,
          shift_id        bigint,
          closed_by       bigint,
          voided_at       bigint,
          refunded_amount bigint NOT NULL,
          UNIQUE (till_id, local_id)
        );
        CREATE INDEX sales_by_created ON sales (created_at);
        CREATE INDEX sales_by_paid ON sales (paid_at) WHERE status = 'paid';

        CREATE TABLE tenders (${SYNCED}
          sale_id       bigint NOT NULL,
          seq           bigint NOT NULL,
          kind          text   NOT NULL,
          amount        bigint NOT NULL,
          status        text   NOT NULL,
          ref           text,
          intent_id     text,
          webhook_url   text,
          quarks        bigint,
          exchange_rate double precision,
          first_proof   text,
          ${FLAG('paid_late')},
          tendered      bigint,
          "change"      bigint,
          label         text,
          created_at    bigint NOT NULL,
          updated_at    bigint NOT NULL,
          paid_at       bigint,
          cancelled_at  bigint,
          expired_at    bigint,
          person_id     bigint,
          UNIQUE (till_id, local_id)
        );
        CREATE INDEX tenders_by_sale ON tenders (till_id, sale_id);

        CREATE TABLE payment_events (${SYNCED}
          sale_id     bigint NOT NULL,
          source      text   NOT NULL,
          kind        text   NOT NULL,
          outcome     text   NOT NULL,
          received_at bigint NOT NULL,
          payload     text   NOT NULL,
          tender_id   bigint,
          UNIQUE (till_id, local_id)
        );
        CREATE INDEX payment_events_by_sale ON payment_events (till_id, sale_id);

        CREATE TABLE refunds (${SYNCED}
          sale_id    bigint NOT NULL,
          amount     bigint NOT NULL,
          currency   text   NOT NULL,
          mode       text   NOT NULL,
          method     text   NOT NULL,
          note       text,
          person_id  bigint NOT NULL,
          shift_id   bigint,
          ${FLAG('void_of_sale')},
          created_at bigint NOT NULL,
          UNIQUE (till_id, local_id)
        );
        CREATE INDEX refunds_by_sale ON refunds (till_id, sale_id);

        CREATE TABLE drawer_openings (${SYNCED}
          at           bigint NOT NULL,
          reason       text   NOT NULL,
          mode         text   NOT NULL,
          sale_id      bigint,
          tender_id    bigint,
          print_job_id bigint NOT NULL,
          person_id    bigint,
          shift_id     bigint,
          UNIQUE (till_id, local_id)
        );

        CREATE VIEW shop_sales AS
          SELECT t.shop_name, s.*
          FROM sales s JOIN tills t ON t.id = s.till_id;

        CREATE VIEW till_day_totals AS
          SELECT s.till_id,
                 (to_timestamp(s.paid_at / 1000.0))::date AS day,
                 s.mode,
                 s.currency,
                 count(*)                             AS sales,
                 sum(s.amount)::bigint                AS amount,
                 sum(s.paid_amount)::bigint           AS paid_amount,
                 sum(s.tip_amount)::bigint            AS tip_amount,
                 sum(s.code_amount)::bigint           AS code_amount,
                 sum(s.cash_amount)::bigint           AS cash_amount,
                 sum(s.other_amount)::bigint          AS other_amount,
                 sum(s.refunded_amount)::bigint       AS refunded_amount,
                 sum(s.paid_amount - s.refunded_amount)::bigint AS net_amount
          FROM sales s
          WHERE s.status = 'paid'
          GROUP BY s.till_id, day, s.mode, s.currency;

        CREATE VIEW shop_day_totals AS
          SELECT day, mode, currency,
                 sum(sales)::bigint           AS sales,
                 sum(amount)::bigint          AS amount,
                 sum(paid_amount)::bigint     AS paid_amount,
                 sum(tip_amount)::bigint      AS tip_amount,
                 sum(code_amount)::bigint     AS code_amount,
                 sum(cash_amount)::bigint     AS cash_amount,
                 sum(other_amount)::bigint    AS other_amount,
                 sum(refunded_amount)::bigint AS refunded_amount,
                 sum(net_amount)::bigint      AS net_amount,
                 count(DISTINCT till_id)      AS tills
          FROM till_day_totals
          GROUP BY day, mode, currency;

        CREATE VIEW till_status AS
          SELECT t.id AS till_id, t.shop_name, t.first_seen, t.last_push,
                 (SELECT count(*) FROM sales s WHERE s.till_id = t.id)                      AS sales,
                 (SELECT count(*) FROM sales s WHERE s.till_id = t.id AND s.status = 'paid') AS paid_sales,
                 (SELECT max(s.updated_at) FROM sales s WHERE s.till_id = t.id)             AS last_sale_change
          FROM tills t;
      `,
};
