/**
 * The API's method names and channel names as plain values, with no imports:
 * the sandboxed preload can bundle this without pulling in zod. The contract
 * (index.ts) checks that it defines exactly these methods.
 */
export const API_METHOD_NAMES = [
  'getStatus',
  'getSettings',
  'updateSettings',
  'charge',
  'chooseTip',
  'openCustomerDisplay',
  'requestCodePayment',
  'scanCode',
  'takeCash',
  'takeOther',
  'cancelSale',
  'focusSale',
  'currentSale',
  'simulatePayment',
  'simulateCancel',
  'reportButtonEvent',
  'getSale',
  'recentSales',
  'installCloudflared',
  'checkRail',
  'listSales',
  'salesTotals',
  'salesChart',
  'daySummary',
  'exportCsv',
  'printReceipt',
  'printDaySummary',
  'printTest',
  'openDrawer',
  'retryPrint',
  'printJobs',
  'saveReceiptPdf',
  'openLogFolder',
  // People and the till's session (issue 15).
  'sessionState',
  'signInChoices',
  'signIn',
  'lockTill',
  'touchSession',
  'createOwner',
  'listPeople',
  'addPerson',
  'updatePerson',
  'setPin',
  'changeOwnPin',
  'changePaymentSetup',
  'auditLog',
  'exportAudit',
  // Shifts and refunds (issue 15).
  'currentShift',
  'openShift',
  'closeShift',
  'shiftReport',
  'listShifts',
  'printShiftReport',
  'refundSale',
  'voidSale',
  'printRefund',
  // The shop database (issue 16).
  'testShopDatabase',
] as const;

/** The IPC channel names the preload and main agree on. */
export const IPC_CALL_PREFIX = 'counter:call:';
export const IPC_EVENT_CHANNEL = 'counter:event';
