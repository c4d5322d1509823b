import { describe, expect, it } from 'vitest';
import {
  BLOCK_KIT_LIMITS,
  checkMessage,
  checkMessageBlocks,
  checkOptionsResponse,
  checkView,
  countBlockTextCharacters,
  inspectMessage,
  inspectView,
} from '../../src/sandbox/block-kit-limits.js';

const chars = (count: number) => 'x'.repeat(count);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const option = (value: string, text = value) => ({ text: plain(text), value });
const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: actionId,
  text: plain('Go'),
  ...extra,
});
const input = (blockId: string, element: Record<string, unknown>) => ({ type: 'input', block_id: blockId, label: plain('Label'), element });
const modal = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('Request access'),
  submit: plain('Send'),
  blocks,
  ...extra,
});

/** Asserts exactly one problem, at the given JSON pointer, mentioning the given words. */
function expectSingleProblem(problems: string[], pointer: string, mentions: string) {
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(new RegExp(`^${pointer.replaceAll('/', '\\/')}: `));
  expect(problems[0]).toContain(mentions);
}

describe('message blocks', () => {
  it('accepts a realistic message', () => {
    const blocks = [
      { type: 'header', text: plain('Access request') },
      { type: 'section', text: mrkdwn('*Ada* wants *deploy* on *prod*'), fields: [mrkdwn('*Reason*'), mrkdwn('on call')] },
      {
        type: 'context',
        elements: [mrkdwn('Requested 2 min ago'), { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'avatar' }],
      },
      { type: 'divider' },
      {
        type: 'actions',
        block_id: 'decision',
        elements: [button('approve', { style: 'primary', value: 'req-1' }), button('deny', { style: 'danger', value: 'req-1' })],
      },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hi' }] }] },
    ];
    expect(checkMessageBlocks(blocks)).toEqual([]);
  });

  it('allows 50 blocks and rejects 51', () => {
    const divider = { type: 'divider' };
    expect(checkMessageBlocks(Array.from({ length: BLOCK_KIT_LIMITS.messageBlocks }, () => divider))).toEqual([]);
    expectSingleProblem(checkMessageBlocks(Array.from({ length: 51 }, () => divider)), '/blocks', 'at most 50');
  });

  it('limits section text to 1–3000 characters', () => {
    expect(checkMessageBlocks([section(chars(3000))])).toEqual([]);
    expectSingleProblem(checkMessageBlocks([section(chars(3001))]), '/blocks/0/text/text', 'at most 3000');
    expectSingleProblem(checkMessageBlocks([section('')]), '/blocks/0/text/text', 'must not be empty');
  });

  it('limits section fields to 10 of at most 2000 characters', () => {
    const fields = (count: number, length = 5) => Array.from({ length: count }, () => mrkdwn(chars(length)));
    expect(checkMessageBlocks([{ type: 'section', fields: fields(10) }])).toEqual([]);
    expect(checkMessageBlocks([{ type: 'section', fields: fields(2, 2000) }])).toEqual([]);
    expectSingleProblem(checkMessageBlocks([{ type: 'section', fields: fields(11) }]), '/blocks/0/fields', 'at most 10');
    expectSingleProblem(
      checkMessageBlocks([{ type: 'section', fields: [mrkdwn(chars(2001))] }]),
      '/blocks/0/fields/0/text',
      'at most 2000',
    );
    expectSingleProblem(checkMessageBlocks([{ type: 'section' }]), '/blocks/0', 'text or fields');
  });

  it('wants plain_text headers of at most 150 characters', () => {
    expect(checkMessageBlocks([{ type: 'header', text: plain(chars(150)) }])).toEqual([]);
    expectSingleProblem(checkMessageBlocks([{ type: 'header', text: plain(chars(151)) }]), '/blocks/0/text/text', 'at most 150');
    expectSingleProblem(checkMessageBlocks([{ type: 'header', text: mrkdwn('hi') }]), '/blocks/0/text/type', 'plain_text');
  });

  it('limits actions to 25 elements and context to 10', () => {
    const buttons = (count: number) => Array.from({ length: count }, (_, index) => button(`b${index}`));
    expect(checkMessageBlocks([{ type: 'actions', elements: buttons(25) }])).toEqual([]);
    expectSingleProblem(checkMessageBlocks([{ type: 'actions', elements: buttons(26) }]), '/blocks/0/elements', 'at most 25');
    const texts = Array.from({ length: 11 }, () => mrkdwn('a'));
    expectSingleProblem(checkMessageBlocks([{ type: 'context', elements: texts }]), '/blocks/0/elements', 'at most 10');
  });

  it('checks button text, value, url and confirm dialogs', () => {
    const inActions = (element: unknown) => [{ type: 'actions', elements: [element] }];
    expectSingleProblem(
      checkMessageBlocks(inActions(button('a', { text: plain(chars(76)) }))),
      '/blocks/0/elements/0/text/text',
      'at most 75',
    );
    expectSingleProblem(checkMessageBlocks(inActions(button('a', { value: chars(2001) }))), '/blocks/0/elements/0/value', 'at most 2000');
    expectSingleProblem(
      checkMessageBlocks(inActions(button('a', { url: `https://x.io/${chars(3000)}` }))),
      '/blocks/0/elements/0/url',
      'at most 3000',
    );
    const confirm = { title: plain('Sure?'), text: mrkdwn(chars(301)), confirm: plain('Yes'), deny: plain(chars(31)) };
    const problems = checkMessageBlocks(inActions(button('a', { confirm })));
    expect(problems).toEqual([
      expect.stringMatching(/^\/blocks\/0\/elements\/0\/confirm\/text\/text: .*at most 300/),
      expect.stringMatching(/^\/blocks\/0\/elements\/0\/confirm\/deny\/text: .*at most 30/),
    ]);
  });

  it('checks select options: at most 100, text/value at most 75', () => {
    const select = (options: unknown[]) => [
      { type: 'section', text: mrkdwn('Pick'), accessory: { type: 'static_select', action_id: 'pick', options } },
    ];
    const options = (count: number) => Array.from({ length: count }, (_, index) => option(`v${index}`));
    expect(checkMessageBlocks(select(options(100)))).toEqual([]);
    expectSingleProblem(checkMessageBlocks(select(options(101))), '/blocks/0/accessory/options', 'at most 100');
    expectSingleProblem(checkMessageBlocks(select([option('v', chars(76))])), '/blocks/0/accessory/options/0/text/text', 'at most 75');
    expectSingleProblem(checkMessageBlocks(select([option(chars(76), 'short')])), '/blocks/0/accessory/options/0/value', 'at most 75');
    const multi = [
      {
        type: 'actions',
        elements: [{ type: 'multi_static_select', action_id: 'm', options: options(101), placeholder: plain(chars(151)) }],
      },
    ];
    expect(checkMessageBlocks(multi)).toHaveLength(2);
  });

  it('limits checkboxes and radio buttons to 10 options and overflow menus to 5', () => {
    const options = (count: number) => Array.from({ length: count }, (_, index) => option(`v${index}`));
    const inActions = (element: unknown) => [{ type: 'actions', elements: [element] }];
    expect(checkMessageBlocks(inActions({ type: 'checkboxes', action_id: 'c', options: options(10) }))).toEqual([]);
    expectSingleProblem(
      checkMessageBlocks(inActions({ type: 'checkboxes', action_id: 'c', options: options(11) })),
      '/blocks/0/elements/0/options',
      'at most 10',
    );
    expectSingleProblem(
      checkMessageBlocks(inActions({ type: 'radio_buttons', action_id: 'r', options: options(11) })),
      '/blocks/0/elements/0/options',
      'at most 10',
    );
    expectSingleProblem(
      checkMessageBlocks(inActions({ type: 'overflow', action_id: 'o', options: options(6) })),
      '/blocks/0/elements/0/options',
      'at most 5',
    );
  });

  it('limits block_id and action_id to 255 characters and wants them unique', () => {
    expectSingleProblem(checkMessageBlocks([{ type: 'divider', block_id: chars(256) }]), '/blocks/0/block_id', 'at most 255');
    expectSingleProblem(
      checkMessageBlocks([{ type: 'actions', elements: [button(chars(256))] }]),
      '/blocks/0/elements/0/action_id',
      'at most 255',
    );
    expectSingleProblem(
      checkMessageBlocks([
        { type: 'divider', block_id: 'a' },
        { type: 'divider', block_id: 'a' },
      ]),
      '/blocks/1/block_id',
      'duplicate',
    );
    expectSingleProblem(
      checkMessageBlocks([{ type: 'actions', elements: [button('a'), button('a')] }]),
      '/blocks/0/elements/1/action_id',
      'duplicate',
    );
  });

  it('reports known elements in the wrong place but lets unknown types and fields through', () => {
    expectSingleProblem(
      checkMessageBlocks([{ type: 'actions', elements: [{ type: 'image', image_url: 'https://x.io/a.png', alt_text: 'a' }] }]),
      '/blocks/0/elements/0/type',
      'not allowed',
    );
    expect(
      checkMessageBlocks([
        { type: 'brand_new_block', anything: [1, 2, 3] },
        { type: 'section', text: mrkdwn('hi'), expand: true, some_future_field: { a: 1 } },
        { type: 'actions', elements: [{ type: 'workflow_button', text: plain('Run') }] },
      ]),
    ).toEqual([]);
  });

  it('checks image blocks', () => {
    expectSingleProblem(
      checkMessageBlocks([{ type: 'image', image_url: 'https://x.io/a.png', alt_text: chars(2001) }]),
      '/blocks/0/alt_text',
      'at most 2000',
    );
    expectSingleProblem(checkMessageBlocks([{ type: 'image', alt_text: 'a' }]), '/blocks/0', 'image_url or slack_file');
  });
});

describe('whole messages', () => {
  it('rejects text over 40,000 characters as msg_too_long', () => {
    expect(inspectMessage({ text: chars(40_000) }).error).toBeUndefined();
    const report = inspectMessage({ text: chars(40_001) });
    expect(report.error).toBe('msg_too_long');
    expect(checkMessage({ text: chars(40_001) })).toEqual(['/text: text must be at most 40000 characters (got 40001)']);
  });

  it('counts every text string in the blocks against the hidden ~13,200 total', () => {
    const blocks = [
      section(chars(3000)),
      { type: 'section', fields: [mrkdwn(chars(100))] },
      { type: 'rich_text', elements: [{ type: 'text', text: chars(10) }] },
    ];
    expect(countBlockTextCharacters(blocks)).toBe(3110);

    const withinLimit = Array.from({ length: 4 }, () => section(chars(3000))).concat(section(chars(1200)));
    expect(inspectMessage({ blocks: withinLimit }).error).toBeUndefined();
    const overLimit = [...withinLimit, section('x')];
    expect(inspectMessage({ blocks: overLimit }).error).toBe('msg_blocks_too_long');
  });

  it('answers invalid_blocks for per-block problems', () => {
    expect(inspectMessage({ text: 'fallback', blocks: [section(chars(3001))] }).error).toBe('invalid_blocks');
  });
});

describe('views', () => {
  const nameInput = input('name', { type: 'plain_text_input', action_id: 'value' });

  it('accepts a realistic modal and home tab', () => {
    expect(checkView(modal([nameInput], { private_metadata: '{"orgId":1}', callback_id: 'request_access' }))).toEqual([]);
    expect(checkView({ type: 'home', blocks: [section('Welcome')] })).toEqual([]);
  });

  it('limits modal title, submit and close to 24 characters', () => {
    const problems = checkView(modal([], { title: plain(chars(25)), submit: plain(chars(25)), close: plain(chars(25)) }));
    expect(problems).toEqual([
      expect.stringMatching(/^\/view\/title\/text: .*at most 24/),
      expect.stringMatching(/^\/view\/submit\/text: .*at most 24/),
      expect.stringMatching(/^\/view\/close\/text: .*at most 24/),
    ]);
  });

  it('requires a submit button when the modal has input blocks', () => {
    const { submit: _submit, ...withoutSubmit } = modal([nameInput]);
    expectSingleProblem(checkView(withoutSubmit), '/view/submit', 'needs a submit');
    const { submit: _unused, ...noInputs } = modal([section('Read only')]);
    expect(checkView(noInputs)).toEqual([]);
  });

  it('allows 100 blocks in views and limits private_metadata and callback_id', () => {
    const dividers = (count: number) => Array.from({ length: count }, () => ({ type: 'divider' }));
    expect(checkView(modal(dividers(100)))).toEqual([]);
    expectSingleProblem(checkView(modal(dividers(101))), '/view/blocks', 'at most 100');
    expectSingleProblem(checkView({ type: 'home', blocks: dividers(101) }), '/view/blocks', 'at most 100');
    expectSingleProblem(checkView(modal([], { private_metadata: chars(3001) })), '/view/private_metadata', 'at most 3000');
    expectSingleProblem(checkView(modal([], { callback_id: chars(256) })), '/view/callback_id', 'at most 255');
  });

  it('checks input labels, hints and plain_text_input lengths', () => {
    const labelled = { ...nameInput, label: plain(chars(2001)), hint: plain(chars(2001)) };
    expect(checkView(modal([labelled]))).toHaveLength(2);
    const badLengths = input('name', { type: 'plain_text_input', action_id: 'v', min_length: 10, max_length: 5 });
    expectSingleProblem(checkView(modal([badLengths])), '/view/blocks/0/element', 'min_length (10) must not exceed max_length (5)');
    const tooLong = input('name', { type: 'plain_text_input', action_id: 'v', max_length: 3001 });
    expectSingleProblem(checkView(modal([tooLong])), '/view/blocks/0/element/max_length', 'at most 3000');
    expectSingleProblem(checkView(modal([input('b', button('b'))])), '/view/blocks/0/element/type', 'not allowed in an input block');
  });

  it('answers view_too_large above 250 kB and checks the type a method expects', () => {
    const huge = modal(Array.from({ length: 90 }, () => section(chars(2900))));
    expect(inspectView(huge).error).toBe('view_too_large');
    expect(inspectView(modal([]), 'home').error).toBe('invalid_arguments');
    expect(checkView({ blocks: [] })).toEqual(['/view/type: view type must be modal or home (got undefined)']);
  });
});

describe('block_suggestion answers', () => {
  it('limits options to 100 and option text to 75', () => {
    expect(checkOptionsResponse({ options: [option('a')] })).toEqual([]);
    expect(checkOptionsResponse({ options: Array.from({ length: 101 }, (_, index) => option(`v${index}`)) })).toEqual([
      '/options: options must have at most 100 items (got 101)',
    ]);
    expect(checkOptionsResponse({ options: [option('a', chars(76))] })).toHaveLength(1);
  });
});
