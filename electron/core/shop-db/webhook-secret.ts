import { REDACTED } from '../app/redactor';
import { webhookPathFor } from '../webhook/listener-server';

const WEBHOOK_PATH = webhookPathFor('');

/**
 * A Code payment's webhook URL ends in its till's path secret, which stays
 * on the till: masked before a record is pushed (upsert-batch.ts), as that
 * till's own screens mask it ("…/code-webhook/[redacted]"), so the shop
 * database never holds it and the shop view shows it masked. Nothing there
 * needs it: the till that asked for the payment is the one Code calls.
 */
export function withoutWebhookSecret<T extends string | null | undefined>(url: T): T {
  if (typeof url !== 'string') return url;
  const at = url.indexOf(WEBHOOK_PATH);
  return (at < 0 ? url : `${url.slice(0, at + WEBHOOK_PATH.length)}${REDACTED}`) as T;
}
