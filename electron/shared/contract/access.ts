// Who may call each API method. The main process enforces this table on
// every call (core/api/access-guard.ts), for Electron's IPC and the preview
// bridge alike; the screens read the same table only to hide what a person
// cannot use.
import type { Role } from '../domain/people';
import type { API_METHOD_NAMES } from './api-methods';

export interface MethodAccess {
  /**
   * 'anyone': also while the till is locked (the status bar, the lock
   * screen's own calls). Otherwise the least role that may call it, once
   * roles apply; before the owner exists (setup) cashier and manager
   * methods are open as on a fresh install, and owner methods refused
   * with "create the owner first".
   */
  role: 'anyone' | Role;
  /** Needs a named person even in setup: money handed back and shifts are always someone's. */
  person?: true;
  /** Needs an open shift once roles apply: a sale goes into a counted drawer. */
  shift?: true;
}

const anyone: MethodAccess = { role: 'anyone' };
const cashier: MethodAccess = { role: 'cashier' };
const manager: MethodAccess = { role: 'manager' };
const owner: MethodAccess = { role: 'owner' };

export const METHOD_ACCESS: Record<(typeof API_METHOD_NAMES)[number], MethodAccess> = {
  getStatus: anyone,
  getSettings: cashier,
  updateSettings: owner,
  charge: { role: 'cashier', shift: true },
  chooseTip: cashier,
  openCustomerDisplay: cashier,
  requestCodePayment: cashier,
  scanCode: cashier,
  takeCash: cashier,
  takeOther: cashier,
  // A cashier cancels only their own sale; the handler checks whose it is.
  cancelSale: cashier,
  focusSale: cashier,
  currentSale: cashier,
  simulatePayment: cashier,
  simulateCancel: cashier,
  reportButtonEvent: cashier,
  getSale: cashier,
  recentSales: cashier,
  installCloudflared: owner,
  checkRail: cashier,
  listSales: manager,
  salesTotals: manager,
  salesChart: manager,
  daySummary: manager,
  exportCsv: manager,
  printReceipt: cashier,
  printDaySummary: manager,
  printTest: owner,
  openDrawer: manager,
  retryPrint: cashier,
  printJobs: cashier,
  saveReceiptPdf: cashier,
  openLogFolder: owner,
  sessionState: anyone,
  signInChoices: anyone,
  signIn: anyone,
  lockTill: anyone,
  touchSession: anyone,
  // Only while no owner exists (the handler refuses it after).
  createOwner: anyone,
  listPeople: owner,
  addPerson: owner,
  updatePerson: owner,
  setPin: owner,
  changeOwnPin: { role: 'cashier', person: true },
  changePaymentSetup: owner,
  auditLog: owner,
  exportAudit: owner,
  currentShift: cashier,
  openShift: { role: 'cashier', person: true },
  // A cashier closes only a shift they opened; the handler checks.
  closeShift: { role: 'cashier', person: true },
  shiftReport: { role: 'cashier', person: true },
  listShifts: { role: 'manager', person: true },
  printShiftReport: { role: 'cashier', person: true },
  refundSale: { role: 'manager', person: true },
  voidSale: { role: 'manager', person: true },
  printRefund: { role: 'cashier', person: true },
  testShopDatabase: owner,
  // The shop view: every till's takings, the owner's.
  shopTills: owner,
  shopSales: owner,
  shopTotals: owner,
  shopChart: owner,
  shopDaySummary: owner,
  shopSale: owner,
  // Hosting shows the generated password: the owner's.
  hostShopDatabase: owner,
  shopHost: owner,
};
