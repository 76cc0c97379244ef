import { REDACTED } from '../app/redactor';
import { webhookPathFor } from '../webhook/listener-server';

const WEBHOOK_PATH = webhookPathFor('');

/**
 * A Code payment's webhook URL ends in its till's path secret, which stays
 * on the till: masked before a record is pushed (upsert-batch.ts) and again
 * when one is read (a row pushed by an older Counter), as that till's own
 * screens mask it ("…/code-webhook/[redacted]"). The shop view never needs
 * it: the till that asked for the payment is the one Code calls.
 */
export function withoutWebhookSecret<T extends string | null | undefined>(url: T): T {
  if (typeof url !== 'string') return url;
  const at = url.indexOf(WEBHOOK_PATH);
  return (at < 0 ? url : `${url.slice(0, at + WEBHOOK_PATH.length)}${REDACTED}`) as T;
}
