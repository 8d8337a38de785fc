import { nextStep } from '../view/navigation.js';
import type { PlayerAction, PlayerContext, PlayerState } from './player.js';

/**
 * What keys do while an overlay covers the list: the inspector scrolls, the filter picks a
 * component. Split from player.ts, which handles the main screen.
 */
/** Keys while the inspector is open: scrolling, and Esc. */
export function inspectorAction(s: PlayerState, action: PlayerAction, ctx: PlayerContext): PlayerState {
  const max = Math.max(0, ctx.inspectorLength(s.inspected ?? 0) - ctx.inspectorRows);
  const scroll = (by: number) => ({ ...s, inspectorScroll: Math.max(0, Math.min(max, s.inspectorScroll + by)) });
  switch (action.type) {
    case 'close':
      return { ...s, overlay: 'none', inspected: undefined };
    case 'up':
      return scroll(-1);
    case 'down':
      return scroll(1);
    case 'pageUp':
      return scroll(-ctx.inspectorRows);
    case 'pageDown':
      return scroll(ctx.inspectorRows);
    case 'first':
      return { ...s, inspectorScroll: 0 };
    case 'last':
      return { ...s, inspectorScroll: max };
    default:
      return s;
  }
}

/** Keys while the help is open: scrolling, and Esc (or ? again) to close. */
export function helpAction(s: PlayerState, action: PlayerAction, ctx: PlayerContext): PlayerState {
  const max = Math.max(0, ctx.helpLength - ctx.inspectorRows);
  const scroll = (by: number) => ({ ...s, helpScroll: Math.max(0, Math.min(max, s.helpScroll + by)) });
  switch (action.type) {
    case 'close':
      return { ...s, overlay: 'none' };
    case 'up':
      return scroll(-1);
    case 'down':
      return scroll(1);
    case 'pageUp':
      return scroll(-ctx.inspectorRows);
    case 'pageDown':
      return scroll(ctx.inspectorRows);
    case 'first':
      return { ...s, helpScroll: 0 };
    case 'last':
      return { ...s, helpScroll: max };
    default:
      return s;
  }
}

/** The filter overlay's entries: undefined stands for "every component". */
export function filterChoices(ctx: PlayerContext): (string | undefined)[] {
  return [undefined, ...ctx.index.components()];
}

/** Keys while the filter is open: choosing, Enter to apply, Esc to cancel. */
export function filterAction(s: PlayerState, action: PlayerAction, ctx: PlayerContext): PlayerState {
  const choices = filterChoices(ctx);
  const move = (by: number) => ({ ...s, filterCursor: Math.max(0, Math.min(choices.length - 1, s.filterCursor + by)) });
  switch (action.type) {
    case 'close':
      return { ...s, overlay: 'none' };
    case 'up':
      return move(-1);
    case 'down':
      return move(1);
    case 'pageUp':
      return move(-ctx.listRows);
    case 'pageDown':
      return move(ctx.listRows);
    case 'first':
      return { ...s, filterCursor: 0 };
    case 'last':
      return { ...s, filterCursor: choices.length - 1 };
    case 'open': {
      const filter = choices[s.filterCursor];
      const next: PlayerState = { ...s, overlay: 'none', filter, selection: 0, expanded: new Set() };
      // Stay at the same moment if the component has a step there, else the nearest one.
      const kept = ctx.messages(filter).lastKeptAtOrBefore(s.current) ?? nextStep({ source: ctx.source, index: ctx.index, filter }, s.current);
      return kept === undefined ? { ...next, notice: `no steps for ${filter}` } : { ...next, current: kept };
    }
    default:
      return s;
  }
}
