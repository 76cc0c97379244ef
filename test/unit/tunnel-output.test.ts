// The line parser against cloudflared's real output. Lines marked "real" are
// copied from cloudflared logs published in issues and run books (2022–2026
// releases); the rest follow the format its source prints.

import { describe, expect, it } from 'vitest';
import {
  createCloudflaredParser,
  createLineSplitter,
  parseLogLine,
  type CloudflaredEvent,
} from '../../electron/core/tunnel/cloudflared-output';

// Real, cloudflared 2025.10.0 quick tunnel (the URL line padded to the box width).
const REAL_QUICK_RUN = `2025-12-20T19:49:06Z INF Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. However, be aware that these account-less Tunnels have no uptime guarantee, are subject to the Cloudflare Online Services Terms of Use (https://www.cloudflare.com/website-terms/), and Cloudflare reserves the right to investigate your use of Tunnels for violations of such terms. If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps
2025-12-20T19:49:06Z INF Requesting new quick Tunnel on trycloudflare.com...
2025-12-20T19:49:11Z INF +--------------------------------------------------------------------------------------------+
2025-12-20T19:49:11Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |
2025-12-20T19:49:11Z INF |  https://showing-packet-futures-streaming.trycloudflare.com                                |
2025-12-20T19:49:11Z INF +--------------------------------------------------------------------------------------------+
2025-12-20T19:49:11Z INF Cannot determine default configuration path. No file [config.yml config.yaml] in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]
2025-12-20T19:49:11Z INF Version 2025.10.0 (Checksum e0afc3e13b69a54b9df6b9652b206d42fa64653369a4a3f0296a33c38182348f)
2025-12-20T19:49:11Z INF GOOS: darwin, GOVersion: go1.25.2, GoArch: amd64
2025-12-20T19:49:11Z INF Settings: map[edge-ip-version:4 ha-connections:1 no-autoupdate:true p:http2 protocol:http2 url:http://127.0.0.1:8088]
2025-12-20T19:49:11Z INF Generated Connector ID: d2d060af-bb5b-4a8f-a108-5507f22bccb4
2025-12-20T19:49:11Z INF Initial protocol http2
2025-12-20T19:49:11Z ERR Cannot determine default origin certificate path. No file cert.pem in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]. You need to specify the origin certificate path by specifying the origincert option in the configuration file, or set TUNNEL_ORIGIN_CERT environment variable originCertPath=
2025-12-20T19:49:11Z INF Starting metrics server on 127.0.0.1:20241/metrics
2025-12-20T19:49:12Z INF Registered tunnel connection connIndex=0 connection=b75d3cf0-e44e-4fb1-9bbd-7f57f7536548 event=0 ip=198.41.192.107 location=txl01 protocol=http2`;

function feed(lines: string[]): CloudflaredEvent[] {
  const parser = createCloudflaredParser();
  return lines.flatMap((l) => parser.push(l));
}

describe('zerolog console lines', () => {
  it('splits time, level, message and sorted key=value fields', () => {
    expect(
      parseLogLine(
        '2026-10-05T02:15:03Z INF Registered tunnel connection connIndex=3 connection=18187432-e9af-4a23-a580-e63cf5fe8a93 event=0 ip=198.41.192.167 location=lax09 protocol=quic',
      ),
    ).toEqual({
      time: '2026-10-05T02:15:03Z',
      level: 'INF',
      message: 'Registered tunnel connection',
      fields: {
        connIndex: '3',
        connection: '18187432-e9af-4a23-a580-e63cf5fe8a93',
        event: '0',
        ip: '198.41.192.167',
        location: 'lax09',
        protocol: 'quic',
      },
    });
  });

  it('unquotes Go-quoted values and keeps a message that holds spaces', () => {
    // Real (2026): an ERR line whose error field is quoted and comes first.
    const line = parseLogLine(
      '2026-10-05T02:15:03Z ERR Serve tunnel error error="accept stream listener encountered a failure while serving" connIndex=0 event=0 ip=198.41.200.233',
    );
    expect(line?.message).toBe('Serve tunnel error');
    expect(line?.fields).toEqual({
      error: 'accept stream listener encountered a failure while serving',
      connIndex: '0',
      event: '0',
      ip: '198.41.200.233',
    });
  });

  it('reads quoted values holding escaped quotes', () => {
    const line = parseLogLine(
      '2026-08-05T20:11:06Z INF Updated to new configuration config="{\\"ingress\\":[{\\"service\\":\\"http://localhost:8080\\"}]}" version=1',
    );
    expect(line?.fields['config']).toBe('{"ingress":[{"service":"http://localhost:8080"}]}');
    expect(line?.fields['version']).toBe('1');
  });

  it('keeps an empty message (zerolog prints two spaces) and an empty field value', () => {
    // Real (2026): an origin error logged with no message.
    const line = parseLogLine(
      '2026-08-18T00:21:09Z ERR  error="stream 9 canceled by remote with error code 0" connIndex=1 event=1 ingressRule=0 originService=http://localhost:8450',
    );
    expect(line?.message).toBe('');
    expect(line?.fields['originService']).toBe('http://localhost:8450');
    expect(parseLogLine('2025-12-20T19:49:11Z ERR Cannot determine default origin certificate path. originCertPath=')?.fields).toEqual({
      originCertPath: '',
    });
  });

  it('is not fooled by lines that are not zerolog lines', () => {
    expect(parseLogLine('failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp')).toBeNull();
    expect(parseLogLine('goroutine 97 [running]:')).toBeNull();
  });
});

describe('quick tunnel URL', () => {
  it('finds the URL in the padded box line of a real run', () => {
    const events = feed(REAL_QUICK_RUN.split('\n'));
    expect(events).toContainEqual({ kind: 'quick-tunnel-requested' });
    expect(events).toContainEqual({ kind: 'quick-tunnel-url', url: 'https://showing-packet-futures-streaming.trycloudflare.com' });
    expect(events.filter((e) => e.kind === 'quick-tunnel-url')).toHaveLength(1);
  });

  it('reports the registered edge connection of a real run, and no failure for its ERR line', () => {
    const events = feed(REAL_QUICK_RUN.split('\n'));
    expect(events).toContainEqual({
      kind: 'connection-registered',
      connection: { connIndex: 0, id: 'b75d3cf0-e44e-4fb1-9bbd-7f57f7536548', ip: '198.41.192.107', location: 'txl01', protocol: 'http2' },
    });
    expect(events.some((e) => e.kind === 'failure')).toBe(false);
  });

  it('takes the URL even when it is longer than the header, which widens the box', () => {
    const url = 'https://a-very-long-quick-tunnel-hostname-that-is-wider-than-the-box-header-line.trycloudflare.com';
    const width = url.length;
    const border = `+${'-'.repeat(width + 4)}+`;
    const header = 'Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):';
    const events = feed([
      `2026-01-01T00:00:00Z INF ${border}`,
      `2026-01-01T00:00:00Z INF |  ${header}${' '.repeat(width - header.length)}  |`,
      `2026-01-01T00:00:00Z INF |  ${url}  |`,
      `2026-01-01T00:00:00Z INF ${border}`,
    ]);
    expect(events).toEqual([{ kind: 'quick-tunnel-url', url }]);
  });

  it('ignores the rows of other boxes, like the connectivity pre-check table', () => {
    // Real (2026 releases print this box before connecting).
    const events = feed([
      '2026-09-18T08:22:52Z INF +-------------------------------------------------------------------------------------+',
      '2026-09-18T08:22:52Z INF |                               CONNECTIVITY PRE-CHECKS                               |',
      '2026-09-18T08:22:52Z INF |  DNS Resolution    region1.v2.argotunnel.com  PASS    DNS Resolved successfully     |',
      '2026-09-18T08:22:52Z INF |  UDP Connectivity  region1.v2.argotunnel.com  PASS    QUIC connection successful    |',
    ]);
    expect(events).toEqual([]);
  });

  it('reads a box line split across chunks and ending in CRLF', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((l) => lines.push(l));
    const text = REAL_QUICK_RUN.split('\n').slice(2, 6).join('\r\n') + '\r\n';
    for (let i = 0; i < text.length; i += 7) splitter.write(Buffer.from(text.slice(i, i + 7)));
    splitter.end();
    expect(lines).toHaveLength(4);
    expect(feed(lines)).toEqual([{ kind: 'quick-tunnel-url', url: 'https://showing-packet-futures-streaming.trycloudflare.com' }]);
  });

  it('cuts a runaway line instead of buffering it forever', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((l) => lines.push(l), 100);
    splitter.write('x'.repeat(250));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
  });
});

describe('edge connections', () => {
  it('reads an IPv6 edge address', () => {
    // Real (2026, Termux): quick tunnel over IPv6.
    expect(
      feed([
        '2026-09-30T07:31:18Z INF Registered tunnel connection connIndex=0 connection=bb527b3a-8a27-467b-9fca-84972898be5c event=0 ip=2606:4700:a8::1 location=del04 protocol=quic',
      ]),
    ).toEqual([
      {
        kind: 'connection-registered',
        connection: { connIndex: 0, id: 'bb527b3a-8a27-467b-9fca-84972898be5c', ip: '2606:4700:a8::1', location: 'del04', protocol: 'quic' },
      },
    ]);
  });

  it('reads the pre-2023 "Connection <uuid> registered" form', () => {
    // Real (2022.4).
    expect(
      feed(['2022-04-26T13:57:23Z INF Connection 5c313303-b31f-4cbe-96d7-3c111c8ac630 registered connIndex=1 location=DEN']),
    ).toEqual([
      {
        kind: 'connection-registered',
        connection: { connIndex: 1, id: '5c313303-b31f-4cbe-96d7-3c111c8ac630', ip: '', location: 'DEN', protocol: '' },
      },
    ]);
  });

  it('notices each way a connection is lost', () => {
    const events = feed([
      '2026-10-05T02:15:03Z INF Unregistered tunnel connection connIndex=0 event=0 ip=198.41.200.233',
      '2026-10-05T02:15:03Z ERR Serve tunnel error error="accept stream listener encountered a failure while serving" connIndex=1 event=0 ip=198.41.192.47',
      '2026-10-05T02:15:03Z INF Retrying connection in up to 1s connIndex=2 event=0 ip=198.41.192.47',
      '2026-09-18T08:22:50Z ERR Connection terminated connIndex=3',
    ]);
    expect(events.map((e) => (e.kind === 'connection-lost' ? e.connIndex : e.kind))).toEqual([0, 1, 2, 3]);
  });
});

describe('failures before exit', () => {
  it('reads "no network" from the bare urfave/cli error line', () => {
    // Real (2026.2): printed without timestamp or level, then exit status 1.
    expect(
      feed([
        '2026-02-03T13:19:49Z INF Requesting new quick Tunnel on trycloudflare.com...',
        'failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host',
      ]),
    ).toEqual([
      { kind: 'quick-tunnel-requested' },
      {
        kind: 'failure',
        failure: 'no-network',
        detail: 'Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host',
      },
    ]);
  });

  it('also reads it as a zerolog ERR line or behind a prefix', () => {
    expect(feed(['2026-01-01T00:00:00Z ERR failed to request quick Tunnel: dial tcp: i/o timeout'])).toEqual([
      { kind: 'failure', failure: 'no-network', detail: 'dial tcp: i/o timeout' },
    ]);
    expect(feed(['ERR failed to request quick Tunnel: dial tcp: i/o timeout'])).toEqual([
      { kind: 'failure', failure: 'no-network', detail: 'dial tcp: i/o timeout' },
    ]);
  });

  it('reads the rate limit from the unmarshal error with status 429 and code 1015', () => {
    // Real (2026.5).
    expect(
      feed([
        '2026-05-29T09:25:34Z ERR Error unmarshaling QuickTunnel response: error code: 1015 error="invalid character \'e\' looking for beginning of value" status_code="429 Too Many Requests"',
        "failed to unmarshal quick Tunnel: invalid character 'e' looking for beginning of value",
      ]),
    ).toEqual([{ kind: 'failure', failure: 'rate-limited', detail: '429 Too Many Requests: error code: 1015' }]);
  });

  it('tells a service error from a rate limit', () => {
    expect(
      feed([
        '2026-05-29T09:25:34Z ERR Error unmarshaling QuickTunnel response: <html>bad gateway</html> error="invalid character \'<\' looking for beginning of value" status_code="502 Bad Gateway"',
      ]),
    ).toEqual([{ kind: 'failure', failure: 'service-error', detail: '502 Bad Gateway: <html>bad gateway</html>' }]);
  });

  it('reads a refused named-tunnel token', () => {
    expect(feed(['Provided Tunnel token is not valid.', "See 'cloudflared tunnel run --help'."])).toEqual([
      { kind: 'failure', failure: 'invalid-token', detail: 'Provided Tunnel token is not valid.' },
    ]);
    expect(
      feed([
        '2026-01-01T00:00:00Z ERR Register tunnel error from server side error="Unauthorized: Invalid tunnel secret" connIndex=0 event=0 ip=198.41.192.7',
      ]),
    ).toEqual([{ kind: 'failure', failure: 'invalid-token', detail: 'Unauthorized: Invalid tunnel secret' }]);
  });
});
