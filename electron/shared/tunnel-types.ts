// What the tunnel supervisor publishes, as plain types both the main process
// and the renderer can import (no Node types behind them).

export type TunnelMode =
  | { kind: 'quick' }
  | { kind: 'named'; token: string; publicUrl: string }
  | { kind: 'fixed'; url: string }
  | { kind: 'off' };

export type TunnelConnection = {
  connIndex: number;
  /** The edge connection's UUID (`connection=` field). */
  id: string;
  /** Edge colo code, e.g. `ams08`. */
  location: string;
  /** Edge address; IPv4 or IPv6. */
  ip: string;
  /** `quic` or `http2`. */
  protocol: string;
};

export type TunnelOfflineReason =
  | 'binary-missing'
  | 'no-network'
  | 'rate-limited'
  | 'service-error'
  | 'invalid-token'
  | 'crashed'
  | 'connections-lost'
  | 'health-check-failed';

export type TunnelState =
  | { status: 'starting' }
  | { status: 'online'; publicUrl: string; connection?: TunnelConnection }
  | { status: 'offline'; reason: TunnelOfflineReason; message: string; retryAt?: number }
  | { status: 'stopped' };
