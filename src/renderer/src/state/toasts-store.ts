import { create } from 'zustand';

export type ToastKind = 'error' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

interface ToastsState {
  toasts: Toast[];
  push(kind: ToastKind, message: string): void;
  dismiss(id: number): void;
}

const lifetimeMs = { error: 8000, info: 4000 } as const;
const maxToasts = 4;
let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const useToasts = create<ToastsState>()((set, get) => ({
  toasts: [],
  push(kind, message) {
    // The same failure from several requests at once (server down) shows once.
    const same = get().toasts.find((t) => t.kind === kind && t.message === message);
    const id = same ? same.id : nextId++;
    clearTimeout(timers.get(id));
    timers.set(id, setTimeout(() => get().dismiss(id), lifetimeMs[kind]));
    if (same) return;
    set((s) => {
      const toasts = [...s.toasts, { id, kind, message }];
      for (const dropped of toasts.slice(0, Math.max(0, toasts.length - maxToasts))) clearTimeout(timers.get(dropped.id));
      return { toasts: toasts.slice(-maxToasts) };
    });
  },
  dismiss(id) {
    clearTimeout(timers.get(id));
    timers.delete(id);
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));
