/**
 * Per-currency payment request limits, copied from Code's sequencer
 * (code-payments/code-server, pkg/code/limit/limits.go, `MicroPaymentLimits`).
 * The real sequencer refuses a RequestToReceiveBill below `min` ("usd
 * currency has a minimum amount of 0.05") or above `max`, and refuses any
 * currency missing from this table ("... currency is not currently
 * supported"). `min` is about US$0.05 in every currency, which is also how
 * the sandbox derives a plausible exchange rate (sandbox-exchange.ts).
 *
 * Note the real maximum: US$1.00. The SDK says it too ("Payment requests are
 * limited to 2 decimal places and up to 1 dollar", PaymentRequestIntent.init).
 */
export interface MicroPaymentLimit {
  min: number;
  max: number;
}

const TABLE: Record<string, readonly [min: number, max: number]> = {
  aed: [0.2, 4], afn: [4, 80], all: [5, 100], amd: [20, 400], ang: [0.1, 2], aoa: [20, 400],
  ars: [5, 100], aud: [0.05, 1], awg: [0.1, 2], azn: [0.05, 1], bam: [0.1, 2], bbd: [0.1, 2],
  bdt: [5, 100], bgn: [0.1, 2], bhd: [0.02, 0.4], bif: [100, 2000], bmd: [0.05, 1], bnd: [0.05, 1],
  bob: [0.3, 6], brl: [0.2, 4], bsd: [0.05, 1], btn: [4, 80], bwp: [0.5, 10], byn: [0.1, 2],
  byr: [1000, 20000], bzd: [0.1, 2], cad: [0.05, 1], cdf: [100, 2000], chf: [0.05, 1], clf: [0.01, 0.03],
  clp: [30, 600], cny: [0.3, 6], cop: [200, 4000], crc: [30, 600], cuc: [0.05, 1], cup: [1, 20],
  cve: [5, 100], czk: [1, 20], djf: [8, 160], dkk: [0.2, 4], dop: [2.5, 50], dzd: [5, 100],
  egp: [0.5, 10], ern: [0.5, 10], etb: [2.5, 50], eur: [0.05, 1], fjd: [0.1, 2], fkp: [0.05, 1],
  gbp: [0.05, 1], gel: [0.1, 2], ggp: [0.05, 1], ghs: [0.45, 9], gip: [0.05, 1], gmd: [3, 60],
  gnf: [400, 8000], gtq: [0.3, 6], gyd: [10, 200], hkd: [0.2, 4], hnl: [1, 20], hrk: [0.3, 6],
  htg: [5, 100], huf: [10, 200], idr: [300, 6000], ils: [0.15, 3], imp: [0.05, 1], inr: [2, 40],
  iqd: [50, 1000], irr: [2000, 40000], isk: [5, 100], jep: [0.05, 1], jmd: [5, 100], jod: [0.02, 0.4],
  jpy: [5, 100], kes: [5, 100], kgs: [2, 40], khr: [200, 4000], kin: [5000, 100000], kmf: [20, 400],
  kpw: [50, 1000], krw: [50, 1000], kwd: [0.01, 0.2], kyd: [0.05, 1], kzt: [20, 400], lak: [500, 10000],
  lbp: [600, 12000], lkr: [10, 200], lrd: [5, 100], lsl: [0.5, 10], ltl: [0.2, 4], lvl: [0.03, 0.6],
  lyd: [0.25, 5], mad: [0.5, 10], mdl: [0.5, 10], mga: [200, 4000], mkd: [3, 60], mmk: [100, 2000],
  mnt: [150, 3000], mop: [0.4, 8], mru: [2, 40], mur: [2, 40], mvr: [0.5, 10], mwk: [50, 1000],
  mxn: [0.5, 10], myr: [0.1, 2], mzn: [3, 60], nad: [0.5, 10], ngn: [20, 400], nio: [1, 20],
  nok: [0.5, 10], npr: [5, 100], nzd: [0.1, 2], omr: [0.01, 0.2], pab: [0.05, 1], pen: [0.1, 2],
  pgk: [0.2, 4], php: [2, 40], pkr: [10, 200], pln: [0.15, 3], pyg: [300, 6000], qar: [0.1, 2],
  ron: [0.1, 2], rsd: [5, 100], rub: [3, 60], rwf: [50, 1000], sar: [0.15, 3], sbd: [0.4, 8],
  scr: [0.6, 12], sdg: [30, 600], sek: [0.5, 10], sgd: [0.05, 1], shp: [0.05, 1], sll: [1000, 20000],
  sos: [30, 600], srd: [1, 20], std: [1000, 20000], syp: [100, 2000], szl: [0.5, 10], thb: [1, 20],
  tjs: [0.5, 10], tmt: [0.15, 3], tnd: [0.15, 3], top: [0.1, 2], try: [0.5, 10], ttd: [0.3, 6],
  twd: [1, 20], tzs: [100, 2000], uah: [2, 40], ugx: [200, 4000], usd: [0.05, 1], usdc: [0.05, 1],
  uyu: [2, 40], uzs: [500, 10000], vnd: [1000, 20000], vuv: [5, 100], wst: [0.1, 2], xaf: [30, 600],
  xcd: [0.1, 2], xdr: [0.03, 0.6], xof: [30, 600], xpf: [5, 100], yer: [10, 200], zar: [0.5, 10],
  zmk: [500, 10000], zmw: [0.5, 10], zwl: [10, 200],
};

export function microPaymentLimit(currency: string): MicroPaymentLimit | undefined {
  const entry = Object.prototype.hasOwnProperty.call(TABLE, currency) ? TABLE[currency] : undefined;
  return entry ? { min: entry[0], max: entry[1] } : undefined;
}

/**
 * The amount above which the till asks the cashier to confirm a charge,
 * unless the owner sets another: 20,000 times Code's minimum, about US$1,000
 * in every currency (¥100,000, €1,000 …), in hundredths.
 */
export function defaultConfirmAbove(currency: string): number {
  const limit = microPaymentLimit(currency);
  return limit ? Math.round(limit.min * 100) * 20_000 : 1_000_00;
}

/** Code's table range for one payment in `currency`, in hundredths; undefined for a currency Code does not take. */
export function codeTableRange(currency: string): { min: number; max: number } | undefined {
  const limit = microPaymentLimit(currency);
  return limit ? { min: Math.round(limit.min * 100), max: Math.round(limit.max * 100) } : undefined;
}

/**
 * The maximum named in a sequencer's refusal ("usd currency has a maximum
 * amount of 5.00"), in hundredths, or null when the message names none.
 */
export function maximumFromRefusal(message: string): number | null {
  const match = /currency has a maximum amount of (\d{1,12}(?:\.\d{1,2})?)\b/.exec(message);
  if (!match) return null;
  const [whole, fraction = ''] = match[1]!.split('.');
  const hundredths = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(hundredths) && hundredths > 0 ? hundredths : null;
}
