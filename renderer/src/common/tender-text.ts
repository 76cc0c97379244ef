// A sale's tenders in words, the same on the till, in the sales log and on
// the receipt. The wording lives in shared (the printed receipt says the same
// things); only what needs the renderer's labels is written here.
import type { Tender } from '../../../electron/shared/contract';
import { TENDER_STATUS_LABELS } from './sale-labels';

export {
  changeGiven,
  codeNumbers,
  codePaymentTitle,
  intentIds,
  paidWithText,
  tenderDetail,
  tendersSummary,
  tenderTitle,
  type CodePaymentPlace,
} from '../../../electron/shared/domain/tender-text';

/** "Paid", "Waiting", "Cancelled", "Paid late". */
export function tenderStatusText(tender: Tender): string {
  if (tender.status === 'paid' && tender.paidLate) return 'Paid late';
  return TENDER_STATUS_LABELS[tender.status];
}
