import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marker, scriptStep, startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';

// The scripted Messages API the real-binary test runs Claude Code against: its choices and both reply forms.
const SCRIPTS = { main: [{ tools: [{ name: 'Write', input: { file_path: '/r/a.txt', content: 'a' } }] }, { text: 'done' }] };
const post = (fake: FakeAnthropic, path: string, body: unknown) =>
  fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('test/support/fake-anthropic.ts', () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic(SCRIPTS);
  });
  afterAll(() => fake.close());

  it('picks the script by the latest marked prompt and the step by the tool results after it', () => {
    const prompt = { role: 'user', content: [{ type: 'text', text: `do it ${marker('main')}` }] };
    const result = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'ok' }] };
    expect(scriptStep({ messages: [prompt] }, SCRIPTS)).toEqual({ script: 'main', step: 0 });
    expect(scriptStep({ messages: [prompt, { role: 'assistant', content: [] }, result] }, SCRIPTS)).toEqual({ script: 'main', step: 1 });
    expect(scriptStep({ messages: [{ role: 'user', content: 'a title, please' }] }, SCRIPTS)).toBeUndefined();
    expect(scriptStep({ messages: [{ role: 'user', content: marker('unknown') }] }, SCRIPTS)).toBeUndefined();
  });

  it('answers without streaming, streams tool calls as SSE with input_json_delta, counts tokens, and answers anything else', async () => {
    const messages = [{ role: 'user', content: `go ${marker('main')}` }];
    const plain = await (await post(fake, '/v1/messages', { model: 'm', messages })).json();
    expect(plain).toMatchObject({ role: 'assistant', model: 'm', stop_reason: 'tool_use', content: [{ type: 'tool_use', name: 'Write', input: { file_path: '/r/a.txt' } }] });
    const sse = await (await post(fake, '/v1/messages', { model: 'm', messages, stream: true })).text();
    const events = [...sse.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map((m) => ({ type: m[1], data: JSON.parse(m[2]!) }));
    expect(events.map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const json = events.filter((e) => e.data.delta?.type === 'input_json_delta').map((e) => e.data.delta.partial_json).join('');
    expect(JSON.parse(json)).toEqual({ file_path: '/r/a.txt', content: 'a' });
    expect(events.find((e) => e.type === 'message_delta')!.data.delta.stop_reason).toBe('tool_use');
    expect(await (await post(fake, '/v1/messages/count_tokens', { messages })).json()).toEqual({ input_tokens: 100 });
    expect((await post(fake, '/v1/messages', { messages: [{ role: 'user', content: 'title?' }] }).then((r) => r.json())).content).toEqual([{ type: 'text', text: 'ok' }]);
    expect((await fetch(`${fake.url}/api/anything`)).status).toBe(200);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/messages', '/v1/messages', '/v1/messages/count_tokens', '/v1/messages', '/api/anything']);
  });
});
