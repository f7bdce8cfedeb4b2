/**
 * Saved connections (DESIGN.md §3 "Secrets"): one JSON file in the data folder, mode 0600. Each
 * entry keeps a masked URL for display and the real URL only as ciphertext from the OS keychain;
 * there is no plaintext fallback. Linux's basic_text backend (no keyring: a key built into
 * Chromium) is refused unless the user accepted it for this machine (by host name).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { KeychainStatus, SavedConnection } from '../../../shared/contracts/connections';
import { ContractError } from '../../../shared/dispatch';
import { maskUrl } from '../util/redact';
import type { SecretCipher } from './secret-cipher';

interface StoredConnection extends SavedConnection {
  /** base64 of the keychain's ciphertext of the full URL. */
  secret: string;
}
interface StoreFile {
  version: 1;
  basicTextAcceptedOn: string[];
  connections: StoredConnection[];
}

export type ConnectionKind = SavedConnection['kind'];

const NO_CIPHER = 'Saving connections needs the desktop app (it encrypts them with the OS keychain). Here, pass the URL each time or name an environment variable in the profile.';

export class ConnectionStore {
  private readonly file: string;

  constructor(
    dir: string,
    private readonly cipher: SecretCipher | null,
    private readonly machine: string = hostname(),
  ) {
    this.file = join(dir, 'connections.json');
  }

  private read(): StoreFile {
    if (!existsSync(this.file)) return { version: 1, basicTextAcceptedOn: [], connections: [] };
    return JSON.parse(readFileSync(this.file, 'utf8')) as StoreFile;
  }

  private write(data: StoreFile): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  async status(): Promise<KeychainStatus> {
    if (!this.cipher) return { canSave: false, backend: 'none', refusedReason: NO_CIPHER, basicTextAccepted: false };
    const s = await this.cipher.status();
    const accepted = this.read().basicTextAcceptedOn.includes(this.machine);
    if (!s.available) return { canSave: false, backend: s.backend, refusedReason: 'The OS keychain is not available, so connections cannot be saved encrypted. Unlock or install a keyring (GNOME Keyring, KWallet), then try again.', basicTextAccepted: accepted };
    if (s.weak && !accepted) {
      return {
        canSave: false,
        backend: s.backend,
        refusedReason: 'No keyring is running (Electron reports the basic_text backend): secrets would be encrypted with a key built into the app, which anyone with your files can undo. Start GNOME Keyring or KWallet, or accept basic_text for this machine (Saved connections, on the Postgres or Redis page).',
        basicTextAccepted: false,
      };
    }
    return { canSave: true, backend: s.backend, refusedReason: null, basicTextAccepted: accepted };
  }

  async acceptBasicText(): Promise<KeychainStatus> {
    const data = this.read();
    if (!data.basicTextAcceptedOn.includes(this.machine)) data.basicTextAcceptedOn.push(this.machine);
    this.write(data);
    return this.status();
  }

  list(profile: string, environment: string): SavedConnection[] {
    return this.read()
      .connections.filter((c) => c.profile === profile && c.environment === environment)
      .map(({ secret: _secret, ...shown }) => shown);
  }

  async save(input: { profile: string; environment: string; kind: ConnectionKind; url: string; label?: string }): Promise<SavedConnection> {
    const scheme = input.url.slice(0, input.url.indexOf(':')).toLowerCase();
    const expected = input.kind === 'postgres' ? ['postgres', 'postgresql'] : ['redis', 'rediss'];
    if (!expected.includes(scheme)) throw new ContractError(`A ${input.kind} connection needs a ${expected.map((e) => `${e}://`).join(' or ')} URL.`, 'bad_input');
    const status = await this.status();
    if (!status.canSave || !this.cipher) throw new ContractError(status.refusedReason ?? NO_CIPHER, 'keychain_refused');
    const maskedUrl = maskUrl(input.url);
    const secret = (await this.cipher.encrypt(input.url)).toString('base64');
    const saved: SavedConnection = { id: randomUUID(), profile: input.profile, environment: input.environment, kind: input.kind, label: input.label?.trim() || maskedUrl, maskedUrl, savedAt: new Date().toISOString() };
    const data = this.read();
    data.connections.push({ ...saved, secret });
    this.write(data);
    return saved;
  }

  delete(id: string): boolean {
    const data = this.read();
    const kept = data.connections.filter((c) => c.id !== id);
    if (kept.length === data.connections.length) return false;
    this.write({ ...data, connections: kept });
    return true;
  }

  /** The saved URL, decrypted for the engine's own use; never returned over the contract. */
  async open(id: string): Promise<{ kind: ConnectionKind; url: string; environment: string }> {
    const found = this.read().connections.find((c) => c.id === id);
    if (!found) throw new ContractError('No saved connection has this id (it may have been deleted).', 'not_found');
    if (!this.cipher) throw new ContractError(NO_CIPHER, 'keychain_refused');
    try {
      return { kind: found.kind, url: await this.cipher.decrypt(Buffer.from(found.secret, 'base64')), environment: found.environment };
    } catch {
      throw new ContractError(`The saved secret for ${found.label} cannot be decrypted (the OS keychain changed or the file was copied from another machine). Delete it and save it again.`, 'keychain_refused');
    }
  }
}
