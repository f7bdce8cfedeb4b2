/**
 * Reads a backend .env file and keeps only what checks may see: for every variable its length,
 * whether it is hex, and a salted fingerprint; plain values only for the variables the profile
 * names as non-secret (ENVIRONMENT, CORS_ORIGINS). The values themselves never leave here.
 */
import { FileRefusedError, MAX_ENV_FILE_BYTES, readRegularFile } from '../../util/read-file';
import { fingerprint } from '../../util/fingerprint';

export interface EnvVariableFacts {
  length: number;
  hex: boolean;
  fingerprint: string;
  line: number;
}

export interface EnvFileObservation {
  path: string;
  variables: Record<string, EnvVariableFacts>;
  /** Values of the non-secret variables the profile asked for (absent when unset). */
  publicValues: Record<string, string>;
}

/** KEY=value lines as dotenv writes them: `export` prefix, quotes, and # comments outside quotes. */
function parseEnvText(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) return;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.indexOf(quote, 1) > 0) {
      value = value.slice(1, value.indexOf(quote, 1));
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out.set(m[1]!, { value, line: index + 1 });
  });
  return out;
}

export async function observeEnvFile(path: string, publicNames: readonly string[]): Promise<EnvFileObservation> {
  let text: string;
  try {
    text = readRegularFile(path, MAX_ENV_FILE_BYTES);
  } catch (err) {
    throw new Error(`cannot read the env file ${path}: ${err instanceof FileRefusedError ? err.reason : (err as Error).message}`);
  }
  const parsed = parseEnvText(text);
  const variables: Record<string, EnvVariableFacts> = {};
  const publicValues: Record<string, string> = {};
  for (const [name, { value, line }] of parsed) {
    variables[name] = { length: value.length, hex: /^[0-9a-fA-F]+$/.test(value), fingerprint: value ? fingerprint(value) : '', line };
    if (publicNames.includes(name)) publicValues[name] = value;
  }
  return { path, variables, publicValues };
}
