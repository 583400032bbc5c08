import { runShell } from './files';

/**
 * How a backup stops the engine's writers (API, Temporal worker, jobs worker) for the moment of the snapshots and
 * lets them go on afterwards. The three stores are written together (a decision is a workflow step in Temporal, a
 * projection in the record and an event in Redis), and none of them can be read at one instant together with the
 * others, so the writers are paused instead: stopping each process gracefully lets its in-flight work finish.
 */
export interface Quiesce {
  method: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/** The operator stopped the engine before the backup (or runs none): nothing to pause. */
export const engineAlreadyStopped: Quiesce = {
  method: 'engine stopped by the operator',
  pause: async () => undefined,
  resume: async () => undefined,
};

/** Shell commands that stop and start the engine's processes (systemctl, kubectl scale, …). */
export function commandQuiesce(pauseCommand: string, resumeCommand: string): Quiesce {
  return {
    method: `commands: ${pauseCommand} / ${resumeCommand}`,
    pause: () => runShell(pauseCommand),
    resume: () => runShell(resumeCommand),
  };
}
