import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../electron/shared/contract';
import { SALE_STATUSES } from '../../electron/shared/domain/sale';
import { tunnelText } from '../../renderer/src/common/tunnel-text';
import { hasTip, percentText, tipAsked, tipChooserText, tipLineName, tipOptionText, tipText } from '../../renderer/src/common/tip-text';
import { defaultDraft, draftToFilter } from '../../renderer/src/sales-log/filter-draft';

// The sales log's filter draft and the status words: the log opens on the
// app's mode, and a sandbox till is not alarmed by a missing tunnel.

describe('sales log: the filter it opens on', () => {
  const noon = Date.UTC(2026, 10, 23, 12);

  it('is the last 7 days of the shop’s calendar, every status, in the app’s mode', () => {
    expect(defaultDraft('UTC', 'sandbox', noon)).toEqual({ from: '2026-11-17', to: '2026-11-23', statuses: [...SALE_STATUSES], mode: 'sandbox', search: '' });
    expect(defaultDraft('UTC', 'live', noon).mode).toBe('live');
    // 12:00 UTC is already the next day in Auckland.
    expect(defaultDraft('Pacific/Auckland', 'live', noon).to).toBe('2026-11-24');
  });

  it('sends every status as no status filter, and the search as typed', () => {
    const draft = defaultDraft('UTC', 'sandbox', noon);
    expect(draftToFilter(draft)).toEqual({ filter: { mode: 'sandbox', from: '2026-11-17', to: '2026-11-23' } });
    expect(draftToFilter({ ...draft, statuses: ['expired', 'paid'], search: ' #52 ' })).toEqual({
      filter: { mode: 'sandbox', from: '2026-11-17', to: '2026-11-23', status: ['paid', 'expired'], search: '#52' },
    });
    expect(draftToFilter({ ...draft, statuses: [] })).toEqual({ error: 'Choose at least one status.' });
  });
});

describe('status bar: the tunnel in words', () => {
  const status = (mode: AppStatus['mode'], tunnel: AppStatus['tunnel']): AppStatus =>
    ({ mode, tunnel, tunnelMode: 'quick' }) as AppStatus;
  const missing: AppStatus['tunnel'] = { status: 'offline', reason: 'binary-missing', message: 'cloudflared is not installed' };

  it('is a red alarm when a live till cannot be reached', () => {
    expect(tunnelText(status('live', missing))).toMatchObject({ tone: 'bad', text: expect.stringMatching(/offline: cloudflared is not installed/) });
  });

  it('is neutral in sandbox mode, where the tunnel is not needed, with the reason kept apart', () => {
    expect(tunnelText(status('sandbox', missing))).toEqual({ tone: 'plain', text: 'not needed in sandbox mode', detail: 'offline: cloudflared is not installed' });
    expect(tunnelText(status('sandbox', { status: 'stopped' }))).toMatchObject({ tone: 'plain', text: 'not needed in sandbox mode' });
    expect(tunnelText(status('sandbox', { status: 'online', publicUrl: 'https://a.trycloudflare.com' }))).toMatchObject({ tone: 'ok' });
  });
});

describe('the tip in words (log, detail, receipt, till)', () => {
  const facts = (tipAmount: number, tipPercent: number | null, awaitingTip = false, tipChosenBy: 'customer' | 'cashier' | null = 'customer') => ({
    tipAmount,
    tipPercent,
    awaitingTip,
    tipChosenBy,
    currency: 'usd',
  });

  it('names a preset by its percent and a custom tip by its amount', () => {
    expect(tipText(facts(180, 15))).toBe('$1.80 (15 %)');
    expect(tipLineName(facts(180, 15))).toBe('Tip 15 %');
    expect(tipText(facts(250, null))).toBe('$2.50');
    expect(tipLineName(facts(250, null))).toBe('Tip');
    expect(tipOptionText({ percent: 15, amount: 180 }, 'usd')).toBe('15 % · $1.80');
    expect(percentText(20)).toBe('20 %');
  });

  it('says "No tip" for a choice of none, waits while the choice is open, and says nothing where tips were never asked', () => {
    expect(tipText(facts(0, null, false, 'cashier'))).toBe('No tip');
    expect(hasTip(facts(0, null, false, 'cashier'))).toBe(false);
    expect(tipText(facts(0, null, true, null))).toBe("Waiting for the customer's choice");
    expect(tipText(facts(0, null, false, null))).toBeNull();
    expect(tipAsked(facts(0, null, false, null))).toBe(false);
    expect(tipChooserText(facts(180, 15, false, 'customer'))).toBe('chosen by the customer');
    expect(tipChooserText(facts(0, null, true, null))).toBeNull();
  });
});
