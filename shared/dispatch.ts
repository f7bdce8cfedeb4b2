/**
 * The single choke point every transport goes through: check the name, parse the input,
 * run the handler, validate the output, wrap the outcome in an envelope.
 */
import { calls, isCallName, type Envelope, type Handlers } from './contract';

import { ContractError } from './contract-error';

export { ContractError };

export async function dispatchCall(handlers: Handlers, name: string, rawInput: unknown): Promise<Envelope<unknown>> {
  if (!isCallName(name)) return { error: { message: `Unknown call "${name}".`, code: 'unknown_call' } };
  const spec = calls[name];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    return { error: { message: `Invalid input for ${name}: ${issues}`, code: 'bad_input' } };
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    const result = spec.output.parse(await handler(parsed.data));
    return { result };
  } catch (err) {
    const code = err instanceof ContractError ? err.code : 'failed';
    return { error: { message: err instanceof Error ? err.message : String(err), code } };
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if ('error' in envelope) throw new ContractError(envelope.error.message, envelope.error.code);
  return envelope.result;
}
