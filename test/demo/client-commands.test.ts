import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE } from '../../src/demo/client/commands.js';
import { SUBCOMMANDS } from '../../src/slack/commands.js';

describe("the composer's /access hint", () => {
  it('lists exactly the subcommands `/access help` lists, in the same order', () => {
    expect(COMMAND_USAGE).toEqual(SUBCOMMANDS.map(({ usage, summary }) => ({ usage, summary })));
  });
});
