import { describe, expect, it } from 'vitest';
import { KEY_HELP, keyToAction } from './keymap.js';

const none = {};

describe('keyToAction', () => {
  it('maps the main screen keys', () => {
    expect(keyToAction('', { rightArrow: true }, 'main')).toEqual({ type: 'next' });
    expect(keyToAction('l', none, 'main')).toEqual({ type: 'next' });
    expect(keyToAction('', { leftArrow: true }, 'main')).toEqual({ type: 'previous' });
    expect(keyToAction('h', none, 'main')).toEqual({ type: 'previous' });
    expect(keyToAction(' ', none, 'main')).toEqual({ type: 'togglePlay' });
    expect(keyToAction('+', none, 'main')).toEqual({ type: 'faster' });
    expect(keyToAction('-', none, 'main')).toEqual({ type: 'slower' });
    expect(keyToAction('n', none, 'main')).toEqual({ type: 'nextNonHeartbeat' });
    expect(keyToAction('3', none, 'main')).toEqual({ type: 'stage', stage: 'synchronization' });
    expect(keyToAction('5', none, 'main')).toBeUndefined();
    expect(keyToAction('g', none, 'main')).toEqual({ type: 'first' });
    expect(keyToAction('G', none, 'main')).toEqual({ type: 'last' });
    expect(keyToAction('k', none, 'main')).toEqual({ type: 'up' });
    expect(keyToAction('', { downArrow: true }, 'main')).toEqual({ type: 'down' });
    expect(keyToAction('', { return: true }, 'main')).toEqual({ type: 'open' });
    expect(keyToAction('f', none, 'main')).toEqual({ type: 'filter' });
    expect(keyToAction('?', none, 'main')).toEqual({ type: 'help' });
    expect(keyToAction('', { tab: true }, 'main')).toEqual({ type: 'focusNode' });
  });

  it('quits with q and interrupts with Ctrl-C on every screen, even when the terminal is too small', () => {
    for (const mode of ['intro', 'main', 'help', 'inspector', 'filter', 'small'] as const) {
      expect(keyToAction('q', none, mode)).toEqual({ type: 'quit' });
      expect(keyToAction('c', { ctrl: true }, mode)).toEqual({ type: 'interrupt' });
    }
    expect(keyToAction('', { rightArrow: true }, 'small')).toBeUndefined();
  });

  it('gives arrows to the overlay that is open, and Esc closes it', () => {
    expect(keyToAction('', { rightArrow: true }, 'inspector')).toBeUndefined();
    expect(keyToAction('j', none, 'inspector')).toEqual({ type: 'down' });
    expect(keyToAction('', { escape: true }, 'filter')).toEqual({ type: 'close' });
    expect(keyToAction('', { return: true }, 'filter')).toEqual({ type: 'open' });
    expect(keyToAction('?', none, 'help')).toEqual({ type: 'close' });
    expect(keyToAction('', { return: true }, 'intro')).toEqual({ type: 'start' });
  });

  it('documents every key the main screen answers to', () => {
    const documented = KEY_HELP.map((k) => k.keys).join(' ');
    for (const key of ['→', 'l', '←', 'h', 'space', '+', '-', 'n', '1 2 3 4', 'g', 'G', '↑', 'k', 'Enter', 'Esc', 'e', 'f', 'Tab', '?', 'q', 'Ctrl-C']) {
      expect(documented).toContain(key);
    }
  });
});
