export { HttpProbeClient } from './client';
export { runPassiveProbes, plannedRequests } from './passive-run';
export { probeTls } from './tls';
export { maskBody, maskHeaders } from './mask';
export { PollPolicy, ScheduledHttpClient, type PollableRequest } from './poll-policy';
