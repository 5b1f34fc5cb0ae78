import type { BerthBridge } from '../shared/client';

/** What the preload puts on the renderer's window (absent when the renderer runs in a browser). */
declare global {
  interface Window {
    berth?: BerthBridge;
  }
}

export {};
