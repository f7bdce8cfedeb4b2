export { HttpProbeClient, describeHttpError, type ProbeRequest } from './client';
export { runPassiveProbes, plannedRequests, WEBHOOK_PROBE_BODY, type PassiveRunOptions } from './passive-run';
export { probePostgresDirect, probeRedisDirect } from './backing-services';
export { probeTls } from './tls';
export { maskBody, maskHeaders } from './mask';
export { PollPolicy, ScheduledHttpClient, type PollableRequest } from './poll-policy';
