import { useEffect, useState } from 'react';
import { NO_PRESETS, type FormPresets } from '../../../shared/schemas/presets';
import { client } from '../api/client';

// Asked once per window: the engine sets its presets before the UI is served.
let asked: Promise<FormPresets> | null = null;

/** The values the engine suggests for the forms (the demo stack's), or null until they arrive. */
export function useFormPresets(): FormPresets | null {
  const [presets, setPresets] = useState<FormPresets | null>(null);
  useEffect(() => {
    let live = true;
    asked ??= client.call('app.presets', {}).catch(() => NO_PRESETS);
    void asked.then((p) => live && setPresets(p));
    return () => {
      live = false;
    };
  }, []);
  return presets;
}
