/**
 * Stands in for the OS keychain in unit tests: real AES-256-GCM with a random key that lives in
 * memory only (as the keychain's would), and a backend name the test chooses.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CipherStatus, SecretCipher } from '../../electron/core/connections/secret-cipher';

export function fakeKeychain(status: Partial<CipherStatus> = {}): SecretCipher & { key: Buffer } {
  const key = randomBytes(32);
  return {
    key,
    status: async () => ({ available: true, backend: 'gnome_libsecret', weak: false, ...status }),
    async encrypt(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
