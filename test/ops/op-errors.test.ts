// Runner (3) of the op table: every error case throws, at the step it names, a message with the
// expected fragments (the op, the variables' types, the reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opTable } from './op-table.js';
import { backendName } from './harness.js';

for (const row of opTable) {
  for (const error of row.errors ?? []) {
    test(`errors: ${row.name}: ${error.what} (${backendName})`, () => {
      assert.throws(error.throws, (e: unknown) => {
        assert.ok(e instanceof Error, `threw ${String(e)}, not an Error`);
        for (const fragment of error.message) assert.ok(e.message.includes(fragment), `message "${e.message}" lacks "${fragment}"`);
        return true;
      });
    });
  }
}
