/**
 * The secrets port: where API key secrets get their randomness and their hash. The engines never
 * make randomness or hash secrets themselves; `webSecrets` is the one default, as `systemClock`
 * is for time. It uses the Web Crypto API every supported Node has as `globalThis.crypto` (the
 * same CSPRNG and SHA-256 as node:crypto, without importing `node:*` into core). A secret is
 * stored only as its SHA-256 hash.
 * @module
 */

export interface SecretsPort {
  /** `bytes` random bytes from a CSPRNG, as base64url (no padding). */
  random(bytes: number): string;
  /** The SHA-256 of `secret` (UTF-8), as lowercase hex: what is stored for it. */
  hash(secret: string): Promise<string>;
  /** Compares two hashes in time independent of where they differ. */
  equal(a: string, b: string): boolean;
}

/** The part of the Web Crypto API used here (typed locally: core compiles without the DOM lib). */
interface WebCrypto {
  getRandomValues(array: Uint8Array): Uint8Array;
  subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> };
}

const webCrypto = (): WebCrypto => {
  const c = (globalThis as { crypto?: WebCrypto }).crypto;
  if (!c?.subtle || typeof c.getRandomValues !== 'function') {
    throw new Error('Seshn needs the Web Crypto API (globalThis.crypto) for API key secrets');
  }
  return c;
};

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

export const webSecrets: SecretsPort = {
  random: (bytes) => base64url(webCrypto().getRandomValues(new Uint8Array(bytes))),
  hash: async (secret) => {
    const digest = await webCrypto().subtle.digest('SHA-256', new TextEncoder().encode(secret));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  },
  equal: (a, b) => {
    // Constant time for equal lengths (every stored hash is 64 hex characters).
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    return diff === 0;
  },
};
