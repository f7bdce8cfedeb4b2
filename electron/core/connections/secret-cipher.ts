/**
 * What the connection store needs from the OS keychain. The Electron main process implements it
 * with safeStorage (electron/main/safe-storage-cipher.ts); tests use a fake; faces without a
 * keychain (`serve`, CLI) have none, and saving is refused there.
 */
export interface CipherStatus {
  /** Encryption works now. */
  available: boolean;
  /** keychain, dpapi, gnome_libsecret, kwallet*, basic_text, unknown. */
  backend: string;
  /** Linux's basic_text: the key is hard-coded in Chromium, so the file is only obfuscated. */
  weak: boolean;
}

export interface SecretCipher {
  status(): Promise<CipherStatus>;
  encrypt(plainText: string): Promise<Buffer>;
  decrypt(encrypted: Buffer): Promise<string>;
}
