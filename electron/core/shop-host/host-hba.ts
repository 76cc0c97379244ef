/**
 * pg_hba.conf for a till hosting the shop database, written at every start
 * (PostgreSQL reads the first line that matches; no line, no login):
 *
 * - this till's own sync, over loopback without TLS (nothing leaves the machine);
 * - every other till: TLS only (`hostssl`), user `counter`, database `counter`;
 * - no `trust`, no `local` (there is no Unix socket), and no line at all for
 *   the superuser: it has no password either, so nobody logs in as it over
 *   the network or loopback. The host does its own administration in
 *   PostgreSQL's single-user mode before the server starts (host-bootstrap.ts).
 */

export const SHOP_ROLE = 'counter';
export const SHOP_DATABASE = 'counter';
/** Where a plain (non-TLS) connection counts as this till's own. */
export const LOOPBACK_CIDRS: readonly string[] = ['127.0.0.1/32', '::1/128'];

const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

/** `plainFrom`: the addresses allowed without TLS (default loopback); tests pass [] to see the server as another till does. */
export function shopHostHba(plainFrom: readonly string[] = LOOPBACK_CIDRS): string {
  for (const cidr of plainFrom) {
    if (!CIDR.test(cidr)) throw new TypeError(`${JSON.stringify(cidr)} is not an address/prefix (like 127.0.0.1/32)`);
  }
  const line = (type: string, address: string) => `${type.padEnd(8)}${SHOP_DATABASE.padEnd(9)}${SHOP_ROLE.padEnd(9)}${address.padEnd(16)}scram-sha-256`;
  return [
    '# Written by Counter at every start of the shop database (electron/core/shop-host/host-hba.ts): edits are lost.',
    '# TYPE  DATABASE USER     ADDRESS         METHOD',
    '# This till\'s own sync, without TLS: nothing leaves the machine.',
    ...plainFrom.map((cidr) => line('host', cidr)),
    '# Every other till: TLS only, the shop\'s role on the shop\'s database only.',
    line('hostssl', '0.0.0.0/0'),
    line('hostssl', '::/0'),
    '',
  ].join('\n');
}
