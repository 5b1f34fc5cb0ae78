/**
 * Row selection for bulk actions, as file managers do it: a click toggles one row and becomes the
 * anchor; a shift-click selects every row from the anchor to the clicked one.
 */
export interface RowSelection {
  selected: ReadonlySet<number>;
  /** The row last clicked without shift, where a range starts. */
  anchor: number | null;
}

export const noSelection: RowSelection = { selected: new Set(), anchor: null };

/** Clicks row `id`; `order` is the ids in the order the table shows them. */
export function clickRow(selection: RowSelection, order: readonly number[], id: number, shift: boolean): RowSelection {
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(id);
  if (shift && from >= 0 && to >= 0) {
    const selected = new Set(selection.selected);
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) selected.add(order[i]!);
    return { selected, anchor: selection.anchor };
  }
  const selected = new Set(selection.selected);
  if (selected.has(id)) selected.delete(id);
  else selected.add(id);
  return { selected, anchor: id };
}

/** Selects every row shown, or clears the selection when all of them already are. */
export function toggleAll(selection: RowSelection, order: readonly number[]): RowSelection {
  const all = order.length > 0 && order.every((id) => selection.selected.has(id));
  return all ? noSelection : { selected: new Set(order), anchor: selection.anchor };
}

/** Keeps only rows still shown (after a reload or a deletion). */
export function keepShown(selection: RowSelection, order: readonly number[]): RowSelection {
  const shown = new Set(order);
  const selected = new Set([...selection.selected].filter((id) => shown.has(id)));
  if (selected.size === selection.selected.size) return selection;
  return { selected, anchor: selection.anchor !== null && shown.has(selection.anchor) ? selection.anchor : null };
}
