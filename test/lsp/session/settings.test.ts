// The settings' ranges are one table (SETTING_BOUNDS, server/src/lsp/session/settings.ts); the
// extension's package.json declares the same minimum and maximum, so VS Code's settings
// editor and the server agree.
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, readSettings, SETTING_BOUNDS } from '../../../server/src/lsp/session/settings.js';
import { readRepo } from '../../helpers/repo.js';

describe('lsp: settings', () => {
  const properties = (JSON.parse(readRepo('package.json')) as { contributes: { configuration: { properties: Record<string, { minimum?: number; maximum?: number; default?: unknown }> } } })
    .contributes.configuration.properties;

  for (const [name, bounds] of Object.entries(SETTING_BOUNDS)) {
    it(`posology.${name}: package.json declares ${bounds.min} to ${bounds.max}, and the default lies inside`, () => {
      const declared = properties[`posology.${name}`];
      assert.ok(declared, `posology.${name} is in package.json`);
      assert.equal(declared.minimum, bounds.min);
      assert.equal(declared.maximum, bounds.max);
      assert.ok((declared.default as number) >= bounds.min && (declared.default as number) <= bounds.max);
    });
  }

  it('numbers are clamped and rounded; anything else takes the default', () => {
    const settings = readSettings({ diagnostics: { delayMs: 12.6 }, verification: { maxStates: '5', timeBudgetMs: -1 }, workspace: { maxFiles: null } });
    assert.equal(settings.diagnostics.delayMs, 13);
    assert.equal(settings.verification.maxStates, DEFAULT_SETTINGS.verification.maxStates);
    assert.equal(settings.verification.timeBudgetMs, SETTING_BOUNDS['verification.timeBudgetMs'].min);
    assert.equal(settings.workspace.maxFiles, DEFAULT_SETTINGS.workspace.maxFiles);
  });
});
