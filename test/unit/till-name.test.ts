import { describe, expect, it } from 'vitest';
import { apiSettingsPatch, settingsPatch as settingsPatchSchema, type Settings } from '../../electron/shared/contract';
import { SAVED_SETTINGS } from '../support/settings-fixture';
import { MAX_TILL_NAME, tillLabel, tillNameProblem } from '../../electron/shared/domain/shop-view';
import { checkForm, fieldErrorsFrom, formFromSettings, settingsPatch } from '../../renderer/src/settings/settings-form';

// "This till's name" (Settings): what tells one till from the shop's others
// in the shop view, its rules, and the settings form's part of it.

const TILL = '3f2a9c1d-5b6e-4c7d-8e9f-0a1b2c3d4e5f';

const saved: Settings = { ...SAVED_SETTINGS, shopName: 'Corner Café' };

describe('tillLabel', () => {
  it("names a till by the shop's name and its own, or by the start of its id when it has none", () => {
    expect(tillLabel('Corner Café', 'Front counter', TILL)).toBe('Corner Café · Front counter');
    expect(tillLabel('Corner Café', '', TILL)).toBe('Corner Café · 3f2a9c1d');
    // A name of spaces only is no name.
    expect(tillLabel('Corner Café', '   ', TILL)).toBe('Corner Café · 3f2a9c1d');
  });
});

describe("this till's name", () => {
  it('is trimmed, at most 40 characters, and empty means none', () => {
    const parse = (tillName: string) => settingsPatchSchema.safeParse({ tillName });
    expect(parse('  Front counter  ').data).toEqual({ tillName: 'Front counter' });
    expect(parse(` ${'x'.repeat(MAX_TILL_NAME)} `).data).toEqual({ tillName: 'x'.repeat(MAX_TILL_NAME) });
    expect(parse('').data).toEqual({ tillName: '' });
    // The API takes it too: it is no part of the payment setup.
    expect(apiSettingsPatch.safeParse({ tillName: 'Back bar' }).success).toBe(true);
  });

  it('refuses a longer name or a control character, in words, about the till name', () => {
    const issues = (tillName: unknown) => settingsPatchSchema.safeParse({ tillName }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues('x'.repeat(MAX_TILL_NAME + 1))).toEqual([['tillName', 'at most 40 characters']]);
    for (const control of ['Front\tcounter', 'Front\ncounter', 'Front\u0007counter', 'Front\u0085counter']) {
      expect(issues(control), JSON.stringify(control)).toEqual([['tillName', 'letters, digits and punctuation only, no tabs or line breaks']]);
    }
    expect(issues(7)?.[0]?.[0]).toBe('tillName');
  });

  it("says in the owner's words what is wrong with a typed name, and nothing when it is fine", () => {
    expect(tillNameProblem('Front counter')).toBeNull();
    expect(tillNameProblem('')).toBeNull();
    expect(tillNameProblem(`  ${'x'.repeat(MAX_TILL_NAME)}  `)).toBeNull();
    expect(tillNameProblem('x'.repeat(52))).toBe('At most 40 characters: this name has 52.');
    expect(tillNameProblem('Front\tcounter')).toBe('Letters, digits and punctuation only: no tabs or line breaks.');
  });
});

describe("the settings form's till name", () => {
  it('shows the saved name, and sends it trimmed only when it changed', () => {
    const form = formFromSettings({ ...saved, tillName: 'Front counter' });
    expect(form.tillName).toBe('Front counter');
    expect(settingsPatch(form, { ...saved, tillName: 'Front counter' })).toEqual({});
    expect(settingsPatch({ ...form, tillName: '  Back bar ' }, { ...saved, tillName: 'Front counter' })).toEqual({ tillName: 'Back bar' });
    // Emptied: the till has no name again.
    expect(settingsPatch({ ...form, tillName: '  ' }, { ...saved, tillName: 'Front counter' })).toEqual({ tillName: '' });
  });

  it("checks it before sending, in its own slot, and takes the main process's message there too", () => {
    const form = { ...formFromSettings(saved), tillName: 'x'.repeat(45) };
    expect(checkForm(form, settingsPatch(form, saved))).toEqual({ tillName: 'At most 40 characters: this name has 45.' });
    const fine = { ...formFromSettings(saved), tillName: 'Front counter' };
    expect(checkForm(fine, settingsPatch(fine, saved))).toEqual({});
    expect(fieldErrorsFrom({ tillName: 'This till’s name: at most 40 characters.' })).toEqual({ tillName: 'This till’s name: at most 40 characters.' });
  });
});
