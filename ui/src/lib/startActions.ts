/**
 * What any screen may ask of the window as a whole — open another repository (a folder, the
 * demo, the start screen), look whether the repository shown opens now, open the settings —
 * given by the app root through Svelte context, so a panel deep in a screen can offer them
 * without every screen passing them down.
 */
import { getContext, setContext } from 'svelte';

export interface StartActions {
  /** Asks for a folder (the system's dialog) and opens it; nothing happens when cancelled. */
  openFolder(): Promise<void>;
  /** Opens the demo repository. */
  openDemo(): Promise<void>;
  /** Goes to the start screen: recent repositories, a folder, the demo. */
  openAnother(): void;
  /** Whether the repository on screen opens now (its targets can be listed). */
  repositoryOpens(): Promise<boolean>;
  /** Shows the settings dialog. */
  openSettings(): void;
}

const KEY = Symbol('start-actions');

export function provideStartActions(actions: StartActions): void {
  setContext(KEY, actions);
}

/** The window's actions, or `null` outside the app (a component rendered alone). */
export function startActions(): StartActions | null {
  return getContext<StartActions | undefined>(KEY) ?? null;
}
