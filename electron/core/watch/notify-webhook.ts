/**
 * Optional alert notifications to a Slack-compatible incoming webhook (`{ "text": … }`), the
 * URL read from the profile's secret store (`notify.webhook.secret`) — never printed or logged.
 * Only firing and resolved transitions are sent; a failed post is reported once, without the URL.
 */
import type { LoadedProfile } from '../profile/load';
import { resolveSecret } from '../profile/secrets';
import type { WatchEvent } from './session';

export type AlertEvent = Extract<WatchEvent, { type: 'alert' }>;

export async function webhookNotifier(loaded: LoadedProfile, environment: string, onError: (message: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<((e: AlertEvent) => void) | null> {
  const target = loaded.profile.environments.find((e) => e.name === environment);
  const name = target?.notify?.webhook?.secret;
  if (!target || !name) return null;
  const url = await resolveSecret(name, target.secrets[name]!, env);
  if (!/^https?:\/\//.test(url)) throw new Error(`secret "${name}" is not an http(s) webhook URL`);
  let reported = false;
  const reportOnce = (message: string) => {
    if (reported) return;
    reported = true;
    onError(message);
  };
  return (e) => {
    if (e.state === 'pending') return;
    const icon = e.state === 'firing' ? ':rotating_light:' : ':white_check_mark:';
    const text = `${icon} ${loaded.profile.name}/${environment} ${e.state.toUpperCase()} ${e.rule} at ${e.at}: ${e.message}`;
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }), signal: AbortSignal.timeout(5000) })
      .then((res) => {
        if (!res.ok) reportOnce(`alert webhook (secret "${name}") answered HTTP ${res.status}`);
      })
      .catch(() => reportOnce(`alert webhook (secret "${name}") could not be reached`));
  };
}
