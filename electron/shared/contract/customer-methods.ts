/**
 * The customer display's API names and channels as plain values, with no
 * imports, for its sandboxed preload (see api-methods.ts). The customer
 * display has its own, much smaller API: it faces the public, so it can read
 * its own view and choose a tip, and nothing else.
 */
export const CUSTOMER_API_METHOD_NAMES = ['customerView', 'chooseTip'] as const;

export const CUSTOMER_IPC_CALL_PREFIX = 'counter-customer:call:';
export const CUSTOMER_IPC_VIEW_CHANNEL = 'counter-customer:view';
