/**
 * Saved-connection secrets encrypted by the OS keychain through Electron safeStorage (the
 * async API): Keychain on macOS, DPAPI on Windows, libsecret/KWallet on Linux. The store in
 * electron/core/connections refuses Linux's basic_text backend unless the user accepts it.
 */
import { safeStorage } from 'electron';
import type { CipherStatus, SecretCipher } from '../core/connections/secret-cipher';

function backendName(): string {
  if (process.platform === 'darwin') return 'keychain';
  if (process.platform === 'win32') return 'dpapi';
  return safeStorage.getSelectedStorageBackend();
}

export function safeStorageCipher(): SecretCipher {
  return {
    async status(): Promise<CipherStatus> {
      const backend = backendName();
      return { available: await safeStorage.isAsyncEncryptionAvailable(), backend, weak: backend === 'basic_text' || backend === 'unknown' };
    },
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    async decrypt(encrypted) {
      return (await safeStorage.decryptStringAsync(encrypted)).result;
    },
  };
}
