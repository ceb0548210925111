// Helpers that drive the VS Code workbench (code-server) the way a user does: keyboard,
// mouse, command palette. Every helper waits for what it expects, with a timeout; none
// sleeps for a fixed time.

export const TIMEOUT = 30_000;

/** Opens the folder in the workbench and waits for the Explorer to show it. */
export async function openWorkbench(page, url, folder) {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/** Closes whatever transient UI is open (hover, suggest, quick input, peek). */
export async function escape(page, times = 2) {
  for (let i = 0; i < times; i++) await page.keyboard.press('Escape');
}

/** Runs a command from the command palette by its exact title. */
export async function runCommand(page, title) {
  await escape(page);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`>${title}`);
  // The palette ranks fuzzy matches ("Close All Editor Groups" may come before "Close
  // Editor") and re-sorts while it fills: click the row whose accessible name is the title
  // (alone, or followed by ", <keybinding>"); the locator is resolved again at the click,
  // so a re-sort does not matter.
  const rows = '.quick-input-widget .quick-input-list .monaco-list-row';
  const row = page.locator(`${rows}[aria-label=${JSON.stringify(title)}], ${rows}[aria-label^=${JSON.stringify(`${title}, `)}]`).first();
  await row.waitFor({ state: 'visible', timeout: TIMEOUT });
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/**
 * Quick Open (Ctrl+P) a file by name and waits for its editor to have focus. A file that has
 * just arrived in the workspace may be missing from the first search (the clean-clone CI saw
 * an empty list for 30 s once): an attempt that shows no matching row closes the picker and
 * searches again, as a user would, until TIMEOUT has passed.
 */
export async function openFile(page, name) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const focused = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused').first();
  const list = page.locator('.quick-input-widget .quick-input-list');
  let seen = '';
  await waitUntil(async () => {
    await escape(page);
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await input.fill(name);
    try {
      await expectText(focused, name, 8_000);
      return true;
    } catch {
      seen = await list.innerText({ timeout: 1000 }).catch(() => '');
      return false;
    }
  }, () => `${name} in the Quick Open list (last list: ${JSON.stringify(seen.slice(0, 300))})`, 2 * TIMEOUT);
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: TIMEOUT });
  await editor(page).locator('.view-lines').waitFor({ timeout: TIMEOUT });
}

/** The active text editor. */
export function editor(page) {
  return page.locator('.editor-group-container.active .monaco-editor[data-uri$=".dose"]').first();
}

/** Go to Line (Ctrl+G): puts the cursor at the start of `line` (1-based) and reveals it. */
export async function goToLine(page, line, column) {
  await escape(page);
  // Ctrl+G works on the active editor wherever the focus is, and leaves the focus in it.
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  // In the browser Ctrl+G opens Quick Open with the ':' (go to line) prefix.
  await input.fill(column ? `:${line}:${column}` : `:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: TIMEOUT });
  await expectText(page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }), `Ln ${line}, Col ${column ?? 1}`);
}

/**
 * Like goToLine, from the top of the file first: the editor then scrolls the same way every
 * run (a screenshot taken there is the same picture each time).
 */
export async function showLine(page, line, column) {
  await goToLine(page, 1);
  await goToLine(page, line, column);
}

/**
 * The rectangle (page coordinates) of `text` in the rendered editor line that contains
 * `lineText`, or undefined when no such line is rendered. The editor renders spaces as
 * no-break spaces; both are matched.
 */
export async function textRect(page, lineText, text) {
  return page.evaluate(
    ({ lineText, text }) => {
      const normal = (value) => value.replace(/\u00a0/g, ' ');
      const editors = [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines')];
      for (const lines of editors) {
        for (const line of lines.querySelectorAll('.view-line')) {
          const content = normal(line.textContent ?? '');
          if (!content.includes(lineText)) continue;
          const start = content.indexOf(text, content.indexOf(lineText));
          if (start < 0) continue;
          // Walk the text nodes to turn character offsets into a DOM range.
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          let offset = 0;
          let startSet = false;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const length = node.textContent.length;
            if (!startSet && start < offset + length) {
              range.setStart(node, start - offset);
              startSet = true;
            }
            if (startSet && start + text.length <= offset + length) {
              range.setEnd(node, start + text.length - offset);
              const rect = range.getBoundingClientRect();
              return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
            }
            offset += length;
          }
        }
      }
      return undefined;
    },
    { lineText, text },
  );
}

/** Waits until `text` is rendered in a line containing `lineText`; returns its rectangle. */
export async function waitForText(page, lineText, text, timeout = TIMEOUT) {
  let rect;
  await waitUntil(async () => (rect = await textRect(page, lineText, text)) !== undefined, `"${text}" on a line with "${lineText}"`, timeout);
  return rect;
}

/** The error squiggles (`.squiggly-error`) that overlap a rectangle. */
export async function squigglesAt(page, rect) {
  return page.evaluate((rect) => {
    return [...document.querySelectorAll('.editor-group-container.active .monaco-editor .squiggly-error')].filter((element) => {
      const box = element.getBoundingClientRect();
      const overlapsX = box.x < rect.x + rect.width && rect.x < box.x + box.width;
      const overlapsY = box.y < rect.y + rect.height && rect.y < box.y + box.height;
      return overlapsX && overlapsY && box.width > 0;
    }).length;
  }, rect);
}

/** Expands every collapsed row of the Test Explorer (file > protocol > tests > steps). */
export async function openRows(page) {
  await waitUntil(async () => {
    const collapsed = page.locator('.test-explorer .monaco-list-row[aria-expanded="false"]');
    if ((await collapsed.count()) === 0) return true;
    await collapsed.first().locator('.monaco-tl-twistie').click();
    return false;
  }, 'the test tree expanded');
}

/** Polls `predicate` (async, truthy when done) until it holds or `timeout` passes; `what` (a string, or a function read at the timeout) says what was awaited. */
export async function waitUntil(predicate, what, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${typeof what === 'function' ? what() : what}${last ? ` (${last.message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the locator's text contains `expected` (a string or a RegExp). */
export async function expectText(locator, expected, timeout = TIMEOUT) {
  let text = '';
  await waitUntil(
    async () => {
      text = (await locator.innerText({ timeout: 1000 })).replace(/\u00a0/g, ' ');
      return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
    },
    `${expected} in ${locator} (last text: ${JSON.stringify(text.slice(0, 300))})`,
    timeout,
  );
  return text;
}

/**
 * The CodeLens right above the rendered line that contains `lineText`, read in one pass so
 * the line and the lens are measured together: { text, run } where `run` is the centre of
 * its first "Run" link, or undefined when no lens is there (yet).
 */
export async function lensAbove(page, lineText) {
  return page.evaluate((lineText) => {
    const normal = (value) => value.replace(/\u00a0/g, ' ');
    const root = document.querySelector('.editor-group-container.active .monaco-editor[data-uri$=".dose"]');
    const line = root && [...root.querySelectorAll('.view-line')].find((element) => normal(element.textContent ?? '').includes(lineText));
    if (!line) return undefined;
    const lineBox = line.getBoundingClientRect();
    const lens = [...root.querySelectorAll('.codelens-decoration')]
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .find(({ box }) => box.height > 0 && box.bottom <= lineBox.top + 2 && box.bottom > lineBox.top - 1.5 * lineBox.height);
    if (!lens) return undefined;
    const link = [...lens.element.querySelectorAll('a')].find((element) => (element.textContent ?? '').includes('Run'));
    const box = link?.getBoundingClientRect();
    return { text: normal(lens.element.textContent ?? '').trim(), run: box && { x: box.x + box.width / 2, y: box.y + box.height / 2 } };
  }, lineText);
}

/**
 * Clicks the "Run" link of the CodeLens above `lineText` until `ran` holds. A click that
 * falls between two renderings of the lenses runs nothing, so the lens is measured and
 * clicked again; `before` runs ahead of each try (e.g. to scroll the line into view).
 */
export async function runLensUntil(page, lineText, ran, what, before = async () => {}) {
  await waitUntil(async () => {
    await before();
    const lens = await lensAbove(page, lineText);
    if (!lens?.run) return false;
    await page.mouse.click(lens.run.x, lens.run.y);
    try {
      await waitUntil(ran, 'the run', 5_000);
      return true;
    } catch {
      return false;
    }
  }, what);
}

/**
 * Waits until the rendering of the editor line containing `lineText` (its tokens' text and
 * colour classes) and of `extra` (a locator, e.g. the suggest widget) has not changed for
 * `quietMs`. Semantic tokens arrive a moment after a keystroke and recolour the line; a
 * screenshot taken after this is the same picture every run. Used for pictures only.
 */
export async function waitForSteadyRendering(page, lineText, extra, quietMs = 600, timeout = TIMEOUT) {
  const read = async () => {
    const line = await page.evaluate((lineText) => {
      const element = [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-line')]
        .find((candidate) => (candidate.textContent ?? '').replace(/\u00a0/g, ' ').includes(lineText));
      return element ? [...element.querySelectorAll('span span')].map((span) => `${span.className}:${span.textContent}`).join('|') : '';
    }, lineText);
    return `${line}\n${extra ? await extra.innerText().catch(() => '') : ''}`;
  };
  let last = await read();
  let since = Date.now();
  await waitUntil(async () => {
    const now = await read();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  }, `the rendering of the line with "${lineText}" to settle`, timeout);
}
