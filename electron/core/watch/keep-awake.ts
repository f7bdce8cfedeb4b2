/**
 * Keeping the machine awake during a launch watch (issue 13, opt-in): the desktop app lends the
 * engine Electron's power-save blocker through this port (electron/main/keep-awake.ts); `serve`
 * and the CLI have none, so the engine never imports Electron.
 */
export interface KeepAwake {
  /** Starts blocking app suspension; returns the blocker's id. */
  start(): number;
  stop(id: number): void;
}
