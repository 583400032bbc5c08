import { describe, expect, it } from 'vitest';
import { lonelySurrogateAt } from '../../api/http/well-formed-body';

describe('text a request body holds that cannot be stored', () => {
  it('names the field of a lone surrogate, in a value or a key, at any depth', () => {
    expect(lonelySurrogateAt({ text: '\ud800' })).toBe('text');
    expect(lonelySurrogateAt({ items: [{ notes: 'ok' }, { notes: 'a\udc00b' }] })).toBe('items.1.notes');
    expect(lonelySurrogateAt({ ['k\ud800']: 1 })).toBe('k\ud800');
    expect(lonelySurrogateAt('\ud83d')).toBe('');
  });

  it('lets paired surrogates (emoji) and ordinary text through', () => {
    expect(
      lonelySurrogateAt({ text: 'Leopard 2 🇺🇦 Ünïcödé', n: 3, nested: { ok: [true, null] } }),
    ).toBeNull();
    expect(lonelySurrogateAt(undefined)).toBeNull();
  });

  it('walks a body nested tens of thousands deep without overflowing the stack', () => {
    const depth = 40_000;
    const arrays = JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(lonelySurrogateAt(arrays)).toBeNull();
    const objects = JSON.parse(`${'{"a":'.repeat(depth)}"\\ud800"${'}'.repeat(depth)}`);
    expect(lonelySurrogateAt(objects)).toBe(Array(depth).fill('a').join('.'));
  });
});
