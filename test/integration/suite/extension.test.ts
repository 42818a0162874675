// The extension loads in a real VS Code, activates, and contributes what package.json promises.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownText } from '../../../src/core/text/escape';
import { activateExtension, EXTENSION_ID, hoverTexts, openFixture, positionOf, screenshot } from './helpers';

suite('extension', () => {
  test('activates from the development folder and returns its test hooks', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not among the loaded extensions`);
    const exports = await activateExtension();
    assert.equal(ext.isActive, true);
    assert.ok(exports.worker, 'activate() returns the worker client');
    assert.equal(ext.packageJSON.main, './dist/extension.js');
  });

  test('registers every command it contributes', async () => {
    await activateExtension();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (ext?.packageJSON.contributes?.commands ?? []) as Array<{ command: string; title: string }>;
    assert.ok(contributed.some((c) => c.command === 'limLens.openDashboard' && c.title === 'Open Dashboard'));
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c.command)).map((c) => c.command);
    // A contributed command nobody registers fails with "command not found" when a user runs it.
    assert.deepEqual(missing, [], 'contributed in package.json but not registered');
  });

  test('opens a config file of the fixture workspace as JSON, and the LIM Lens hover answers on its keys', async () => {
    const editor = await openFixture('models/llama-2-7b/config.json');
    assert.equal(editor.document.languageId, 'json');
    const pos = positionOf(editor.document, '"hidden_size"');
    const texts = await hoverTexts(editor.document.uri, pos);
    const md = texts.find((t) => t.includes('**LIM Lens**'));
    assert.ok(md, `a LIM Lens hover among: ${texts.join(' | ').slice(0, 300)}`);
    assert.match(md, /\*\*Parameters N\*\*\]\(command:limLens\.showGlossary "[^"]+"\) \| 6\.74B total/);
    assert.ok(md.includes(`**${markdownText('hidden_size')}** = 4096`), md);
    await screenshot('integration-config-open');
  });

  test('activation registers the status-bar entry, the views and the settings package.json promises', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const pkg = ext?.packageJSON as { contributes: { views: Record<string, Array<{ id: string }>>; configuration: { properties: Record<string, unknown> } } };
    assert.deepEqual(pkg.contributes.views.limLens.map((v) => v.id), ['limLens.runs']);
    const c = vscode.workspace.getConfiguration('limLens');
    assert.equal(c.get('hardware'), 'h100');
    assert.equal(c.get('utilization'), 0.4);
    for (const key of Object.keys(pkg.contributes.configuration.properties)) assert.ok(c.has(key.replace(/^limLens\./, '')), `${key} is readable`);
    const exports = await activateExtension();
    assert.ok(exports.activationMs >= 0);
  });
});
