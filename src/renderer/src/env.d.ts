/// <reference types="vite/client" />
import type { BerthBridge } from '../../shared/client';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the UI is served to a browser by `berth serve`. */
    readonly berth?: BerthBridge;
  }
}
