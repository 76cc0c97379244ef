import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ShopHostError } from './errors';

/**
 * The hosting till's TLS certificate: self-signed, made once, kept in
 * `<dir>/tls/` and reused at every start. Other tills pin its SHA-256
 * fingerprint (the join URL's `certsha256`), so a new certificate means
 * every till must be given the new address: nothing here ever replaces an
 * existing one.
 *
 * Made with @peculiar/x509 over Node's own WebCrypto: a maintained X.509
 * builder (PeculiarVentures, who also keep pkijs) that states IP and DNS
 * names apart and takes exact dates. `selfsigned` 5 is a thin wrapper over
 * the same library (plus pkijs) with less control over both. The library
 * needs a Reflect metadata polyfill (its tsyringe container); it is loaded
 * only here, and only when a certificate is made.
 *
 * ECDSA P-256: small, fast, and what every TLS stack speaks.
 *
 * Dates: the pin is what a till checks, not dates, but Node (OpenSSL)
 * still rejects a certificate outside its validity even when it is the
 * trusted certificate itself (CERT_HAS_EXPIRED, CERT_NOT_YET_VALID). So
 * notAfter is 9999-12-31 23:59:59 UTC (RFC 5280 §4.1.2.5: "no well-defined
 * expiration date"), and notBefore is 2000-01-01, so a till whose clock is
 * wrong (a flat CMOS battery) still connects.
 */
export interface HostCertificate {
  certPath: string;
  keyPath: string;
  /** SHA-256 of the DER certificate, colon-separated uppercase hex (Node's fingerprint256). */
  fingerprint: string;
}

export const CERT_COMMON_NAME = 'Counter shop database';
const NOT_BEFORE = new Date('2000-01-01T00:00:00Z');
const NOT_AFTER = new Date('9999-12-31T23:59:59Z');

/** The names a till may reach this machine by (informative only: the pin is what is checked). */
export function hostNames(): { ips: string[]; dns: string[] } {
  const ips = new Set<string>(['127.0.0.1']);
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) if (address.family === 'IPv4' && !address.internal) ips.add(address.address);
  }
  const name = hostname();
  // A dNSName is ASCII (IA5String); a name that is not a plain DNS label is left out.
  const dns = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(name) ? [name] : [];
  return { ips: [...ips], dns };
}

/** The certificate in `dir`, made the first time. */
export async function ensureHostCertificate(dir: string): Promise<HostCertificate> {
  const tlsDir = join(dir, 'tls');
  const certPath = join(tlsDir, 'shop-host.crt');
  const keyPath = join(tlsDir, 'shop-host.key');
  try {
    // The certificate is renamed into place last: present means complete (a key without one is an interrupted first start).
    if (!existsSync(certPath)) {
      mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
      const { certPem, keyPem } = await makeCertificate();
      writeFileSync(`${keyPath}.tmp`, keyPem, { mode: 0o600 });
      writeFileSync(`${certPath}.tmp`, certPem, { mode: 0o644 });
      renameSync(`${keyPath}.tmp`, keyPath);
      renameSync(`${certPath}.tmp`, certPath);
    }
    const cert = new X509Certificate(readFileSync(certPath));
    if (!cert.checkPrivateKey(createPrivateKey(readFileSync(keyPath)))) {
      throw new Error(`${keyPath} is not the key of ${certPath}`);
    }
    return { certPath, keyPath, fingerprint: cert.fingerprint256 };
  } catch (error) {
    throw new ShopHostError(
      'host-files',
      `The shop database's certificate in ${tlsDir} cannot be used (${(error as Error).message}). Other tills trust this certificate only: do not delete it; if it is lost, a new one is made and every till must be given the new address.`,
      { cause: error },
    );
  }
}

async function makeCertificate(): Promise<{ certPem: string; keyPem: string }> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const { ips, dns } = hostNames();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // Positive, 16 bytes, random (RFC 5280 §4.1.2.2).
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: `CN=${CERT_COMMON_NAME}`,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    signingAlgorithm: algorithm,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...dns.map((value) => ({ type: 'dns' as const, value })), ...ips.map((value) => ({ type: 'ip' as const, value }))]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' });
  return { certPem: cert.toString('pem'), keyPem: String(keyPem) };
}
