/**
 * Alert state per rule: inactive → pending (the condition holds) → firing (it held for
 * forSeconds) → resolved (the value came back past the clear value: hysteresis, so a value
 * hovering at the threshold does not flap). A pending alert whose condition stops holding is
 * resolved without ever firing. A missing value (target down, not enough traffic) changes
 * nothing: down targets are recorded as gaps and have alerts of their own.
 */
import type { AlertState, AlertTransition } from '../store/watch-store';
import { holds, type ResolvedRule } from './alert-rules';

interface RuleState {
  state: 'inactive' | 'pending' | 'firing';
  since: number;
}

export interface AlertSnapshot {
  rule: string;
  title: string;
  severity: string;
  state: 'inactive' | 'pending' | 'firing';
  since: number | null;
  value: number | null;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, ''));

export class AlertEvaluator {
  private readonly states = new Map<string, RuleState>();
  private readonly last = new Map<string, number | null>();
  /** Rules raised by the watch itself (an authentication failure stops a target). */
  private readonly raised = new Map<string, { title: string; since: number }>();
  firedCount = 0;

  constructor(readonly rules: readonly ResolvedRule[]) {
    for (const r of rules) this.states.set(r.id, { state: 'inactive', since: 0 });
  }

  /** Continues a resumed session from its stored transitions. */
  restore(transitions: readonly AlertTransition[]): void {
    for (const t of transitions) {
      if (t.state === 'firing') this.firedCount++;
      if (!this.states.has(t.rule)) continue;
      this.states.set(t.rule, t.state === 'resolved' ? { state: 'inactive', since: t.at } : { state: t.state, since: t.at });
    }
  }

  /** Feeds one tick's metric values; returns the transitions, in rule order. */
  observe(values: Readonly<Record<string, number | null>>, at: number): AlertTransition[] {
    const out: AlertTransition[] = [];
    for (const rule of this.rules) {
      if (!(rule.metric in values)) continue;
      const value = values[rule.metric] ?? null;
      this.last.set(rule.id, value);
      if (value === null || !Number.isFinite(value)) continue;
      const s = this.states.get(rule.id)!;
      const bad = holds(rule.op, value, rule.value);
      const emit = (state: AlertState, message: string) => out.push({ rule: rule.id, state, value, at, message });
      const cond = `${rule.metric} ${fmt(value)} ${rule.unit} ${rule.op} ${fmt(rule.value)}`;
      if (s.state === 'inactive' && bad) {
        if (rule.forSeconds > 0) {
          this.states.set(rule.id, { state: 'pending', since: at });
          emit('pending', `${rule.title}: ${cond}; fires if it holds for ${rule.forSeconds} s`);
        } else {
          this.fire(rule.id, at);
          emit('firing', `${rule.title}: ${cond}`);
        }
      } else if (s.state === 'pending') {
        if (!bad) {
          this.states.set(rule.id, { state: 'inactive', since: at });
          emit('resolved', `${rule.title}: cleared after ${fmt((at - s.since) / 1000)} s, before firing (${rule.metric} ${fmt(value)} ${rule.unit})`);
        } else if (at - s.since >= rule.forSeconds * 1000) {
          this.fire(rule.id, at);
          emit('firing', `${rule.title}: ${cond} for ${fmt((at - s.since) / 1000)} s`);
        }
      } else if (s.state === 'firing') {
        const above = rule.op === '>' || rule.op === '>=';
        const clear = above ? value <= rule.clearValue : value >= rule.clearValue;
        if (clear) {
          this.states.set(rule.id, { state: 'inactive', since: at });
          emit('resolved', `${rule.title}: back to ${rule.metric} ${fmt(value)} ${rule.unit} (clears at ${above ? '≤' : '≥'} ${fmt(rule.clearValue)}) after ${fmt((at - s.since) / 1000)} s firing`);
        }
      }
    }
    return out;
  }

  private fire(id: string, at: number): void {
    this.states.set(id, { state: 'firing', since: at });
    this.firedCount++;
  }

  /** A firing alert raised by the watch itself, e.g. `target.postgres.auth`; once per id. */
  raise(id: string, title: string, at: number): AlertTransition | null {
    if (this.raised.has(id)) return null;
    this.raised.set(id, { title, since: at });
    this.firedCount++;
    return { rule: id, state: 'firing', value: null, at, message: title };
  }

  snapshot(): AlertSnapshot[] {
    const rows: AlertSnapshot[] = this.rules.map((r) => {
      const s = this.states.get(r.id)!;
      return { rule: r.id, title: r.title, severity: r.severity, state: s.state, since: s.state === 'inactive' ? null : s.since, value: this.last.get(r.id) ?? null };
    });
    for (const [rule, r] of this.raised) rows.push({ rule, title: r.title, severity: 'critical', state: 'firing', since: r.since, value: null });
    return rows;
  }
}
