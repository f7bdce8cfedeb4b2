import { events, type EventName, type EventPayload } from '../../../shared/contract';

export type AnyEventListener = (name: EventName, payload: unknown) => void;

/** Fan-out of contract events to every face (IPC window, SSE clients, CLI watchers). */
export class EventHub {
  private readonly listeners = new Set<AnyEventListener>();

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    // Validate at the boundary so a face never receives something the contract does not allow.
    const checked = events[name].parse(payload);
    for (const listener of this.listeners) listener(name, checked);
  }

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
