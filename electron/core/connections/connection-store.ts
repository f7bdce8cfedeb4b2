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
import { ContractError } from '../../../shared/contract-error';
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
    let data: Partial<StoreFile>;
    try {
      data = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<StoreFile>;
    } catch {
      // The parser's message quotes the file; say what to do instead.
      throw new ContractError(`${this.file} is not valid JSON (edited by hand or cut short), so saved connections cannot be read. Move it away to start with no saved connections.`, 'bad_input');
    }
    if (data.version !== 1 || !Array.isArray(data.connections) || !Array.isArray(data.basicTextAcceptedOn)) {
      throw new ContractError(`${this.file} is not a saved-connections file this version understands. Move it away to start with no saved connections.`, 'bad_input');
    }
    return data as StoreFile;
  }

  /** The saved entry of this scope and kind whose URL is exactly `url`, if any (decrypted to compare). */
  private async findSame(input: { profile: string; environment: string; kind: ConnectionKind; url: string }, maskedUrl: string): Promise<StoredConnection | null> {
    if (!this.cipher) return null;
    for (const c of this.read().connections) {
      if (c.profile !== input.profile || c.environment !== input.environment || c.kind !== input.kind || c.maskedUrl !== maskedUrl) continue;
      const plain = await this.cipher.decrypt(Buffer.from(c.secret, 'base64')).catch(() => null);
      if (plain === input.url) return c;
    }
    return null;
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
    // Saving the same URL again (a double submit, or saved before) keeps one entry, with the new label.
    const same = await this.findSame(input, maskedUrl);
    if (same) {
      const data = this.read();
      const label = input.label?.trim() || same.label;
      data.connections = data.connections.map((c) => (c.id === same.id ? { ...c, label } : c));
      this.write(data);
      const { secret: _secret, ...shown } = same;
      return { ...shown, label };
    }
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
