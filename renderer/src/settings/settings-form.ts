// The settings form as plain data: what the owner typed, the patch of what
// changed, and the checks that can run before anything is sent. The main
// process checks everything again and its per-field messages win.
import type { Mode, Settings, SettingsPatch, TunnelModeView } from '../../../electron/shared/contract';
import type { TunnelModePatch } from '../../../electron/shared/domain/tunnel';
import { depositAddressProblem } from './deposit-address';

export interface SettingsForm {
  depositAddress: string;
  currency: string;
  shopName: string;
  tunnelKind: TunnelModeView['kind'];
  /** A new named-tunnel token; empty keeps the saved one (the till never shows it). */
  tunnelToken: string;
  /** The named tunnel's public URL, or the fixed URL: one input serves both. */
  tunnelUrl: string;
  mode: Mode;
}

/** The settings keys the main process reports `fields` under; each has an error slot `field-error-<key>`. */
export type SettingsField = 'depositAddress' | 'currency' | 'shopName' | 'tunnel' | 'mode';
export type FieldErrors = Partial<Record<SettingsField, string>>;
export const SETTINGS_FIELDS: readonly SettingsField[] = ['depositAddress', 'currency', 'shopName', 'tunnel', 'mode'];

export function formFromSettings(s: Settings): SettingsForm {
  return {
    depositAddress: s.depositAddress ?? '',
    currency: s.currency,
    shopName: s.shopName,
    tunnelKind: s.tunnel.kind,
    tunnelToken: '',
    tunnelUrl: s.tunnel.kind === 'named' ? s.tunnel.publicUrl : s.tunnel.kind === 'fixed' ? s.tunnel.url : '',
    mode: s.mode,
  };
}

export function tunnelFromForm(form: SettingsForm): TunnelModePatch {
  switch (form.tunnelKind) {
    case 'named': {
      const token = form.tunnelToken.trim();
      return token ? { kind: 'named', token, publicUrl: form.tunnelUrl.trim() } : { kind: 'named', publicUrl: form.tunnelUrl.trim() };
    }
    case 'fixed':
      return { kind: 'fixed', url: form.tunnelUrl.trim() };
    default:
      return { kind: form.tunnelKind };
  }
}

export type { SettingsPatch };

/** Only what differs from the saved settings, so a save never rewrites what the owner did not touch. */
export function settingsPatch(form: SettingsForm, saved: Settings): SettingsPatch {
  const patch: SettingsPatch = {};
  const address = form.depositAddress.trim() || null;
  if (address !== saved.depositAddress) patch.depositAddress = address;
  if (form.currency !== saved.currency) patch.currency = form.currency;
  if (form.shopName.trim() !== saved.shopName) patch.shopName = form.shopName.trim();
  const tunnel = tunnelFromForm(form);
  const unchanged =
    tunnel.kind === saved.tunnel.kind &&
    (tunnel.kind !== 'named' || (tunnel.token === undefined && saved.tunnel.kind === 'named' && tunnel.publicUrl === saved.tunnel.publicUrl)) &&
    (tunnel.kind !== 'fixed' || (saved.tunnel.kind === 'fixed' && tunnel.url === saved.tunnel.url));
  if (!unchanged) patch.tunnel = tunnel;
  if (form.mode !== saved.mode) patch.mode = form.mode;
  return patch;
}

const protocolOf = (url: string) => {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
};

/** The checks the renderer can make alone; "live needs an address" is left to the main process, which owns that rule. */
export function checkForm(form: SettingsForm, patch: SettingsPatch): FieldErrors {
  const errors: FieldErrors = {};
  if (patch.depositAddress !== undefined) {
    const problem = depositAddressProblem(form.depositAddress);
    if (problem) errors.depositAddress = problem;
  }
  if (patch.shopName !== undefined && !form.shopName.trim()) errors.shopName = 'Give the shop a name; it is printed on receipts.';
  if (patch.tunnel !== undefined) {
    const t = patch.tunnel;
    if (t.kind === 'named') {
      if (t.token !== undefined && (t.token.length < 20 || /\s/.test(t.token))) errors.tunnel = 'Paste the whole tunnel token from Cloudflare (a long string without spaces).';
      else if (protocolOf(t.publicUrl) !== 'https:') errors.tunnel = 'The public URL must start with https:// (the hostname routed to this tunnel).';
    } else if (t.kind === 'fixed') {
      const p = protocolOf(t.url);
      if (p !== 'https:' && p !== 'http:') errors.tunnel = 'The public URL must be a full address starting with https:// or http://.';
    }
  }
  return errors;
}

/** Main's `fields`, sorted into the form's slots; anything else stays in the summary message. */
export function fieldErrorsFrom(fields: Record<string, string> | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, message] of Object.entries(fields ?? {})) {
    const field = key.split('.')[0] as SettingsField;
    if (SETTINGS_FIELDS.includes(field)) errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  }
  return errors;
}
