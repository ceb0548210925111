// Extension tests: the wiring between VS Code, the client and the server, on
// client/testFixture. The language itself is tested over LSP in test/lsp.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, codeOf, codes, fixtureUri, open, waitFor } from './helper.js';

suite('Posology extension', () => {
  const uri = fixtureUri('protocol.dose');

  suiteSetup(async () => {
    await activate();
    await open('protocol.dose');
  });

  test('activates on a .dose file and shows the checker\'s diagnostics', async () => {
    const found = await waitFor('POS3001 on the start dose', () => (codes(uri).includes('POS3001') ? codes(uri) : undefined));
    assert.ok(found.includes('POS5001'), 'the failing embedded test is reported');
    const start = vscode.languages.getDiagnostics(uri).find((diagnostic) => codeOf(diagnostic) === 'POS3001')!;
    assert.equal(start.severity, vscode.DiagnosticSeverity.Error);
    assert.match(start.relatedInformation?.[0].location.uri.path ?? '', /\/labels\/[^/]+\.dose$/, 'related information points at the label file');
  });

  test('shows the label line and the converted value on hover', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const position = document.positionAt(document.getText().indexOf('0.4 10*9/L') + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /= \*\*400 \/uL\*\*/);
    assert.match(text, /hold when ANC < 500 \/uL/);
  });

  test('applies a quick fix and the finding goes away', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const diagnostic = await waitFor('POS3001', () => vscode.languages.getDiagnostics(uri).find((item) => codeOf(item) === 'POS3001'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.title.startsWith("Set the start dose to the label's"));
    assert.ok(fix?.edit, `a start-dose fix among ${actions.map((action) => action.title).join('; ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitFor('POS3001 to go away', () => (codes(uri).includes('POS3001') ? undefined : true));
    assert.match(document.getText(), /start 4 mg/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('discovers the embedded tests in the Test Explorer and runs them', async () => {
    const api = await activate();
    const file = await waitFor('the fixture in the Test Explorer', () => api.tests.controller.items.get(uri.toString()));
    const protocol = await waitFor('the protocol item', () => {
      let found: vscode.TestItem | undefined;
      file.children.forEach((child) => (found = child));
      return found && found.children.size === 3 ? found : undefined;
    });
    const titles: string[] = [];
    protocol.children.forEach((child) => titles.push(child.label));
    assert.deepEqual(titles.sort(), ['day 1 gets 4 mg', 'dialysis gets 3 mg', 'neutropenia is held']);
    await vscode.commands.executeCommand('posology.runTests', { uri: uri.toString(), protocolIndex: 0 });
  });
});
