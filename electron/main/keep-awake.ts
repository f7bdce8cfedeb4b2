/** The engine's KeepAwake port on Electron's power-save blocker: the app keeps running (the screen may sleep). */
import { powerSaveBlocker } from 'electron';
import type { KeepAwake } from '../core/watch/keep-awake';

export function electronKeepAwake(): KeepAwake {
  return {
    start: () => powerSaveBlocker.start('prevent-app-suspension'),
    stop: (id) => {
      if (powerSaveBlocker.isStarted(id)) powerSaveBlocker.stop(id);
    },
  };
}
