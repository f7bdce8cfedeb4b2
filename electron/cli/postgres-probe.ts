import { InvalidTargetError, ProbeClient, TargetUnreachableError, UnsafeTargetError } from '../core/probes/postgres';
import { CliError, EXIT } from './exit-codes';

/** Runs `work` with one probe connection and maps an unreachable target to exit 3. */
export async function withProbe<T>(url: string, work: (client: ProbeClient) => Promise<T>, role: 'sampler' | 'reader' = 'sampler'): Promise<T> {
  let client: ProbeClient;
  try {
    client = new ProbeClient(url, { role });
  } catch (err) {
    if (err instanceof UnsafeTargetError || err instanceof InvalidTargetError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  try {
    return await work(client);
  } catch (err) {
    if (err instanceof TargetUnreachableError) throw new CliError(`Postgres unreachable: ${err.message}`, EXIT.unreachable);
    throw err;
  } finally {
    await client.close();
  }
}
