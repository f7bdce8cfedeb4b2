import type { Judgements, Tone } from '../../../shared/schemas/check';

/** A tile's colour: the engine's verdict of that check on the sample shown (never decided here from the figures). */
export function toneFor(judgements: Judgements | undefined, checkId: string): Tone {
  return judgements?.[checkId]?.tone ?? 'neutral';
}
