// The worker thread that builds prompts: loading the Qwen tokenizer (a 7 MB module, ~1 s)
// and counting tokens would block the extension host's event loop, and with it every
// editor in the window. Bundled on its own (dist/contextWorker.js); no 'vscode' here.
import { parentPort } from 'node:worker_threads';
import { buildContext, type ContextInput } from '../core/context/buildContext';
import { warmTokenizer } from '../core/context/tokenizer';

export type ContextRequest = { id: number; kind: 'warm' } | { id: number; kind: 'build'; input: ContextInput };
export type ContextResponse = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: { name: string; message: string } };

parentPort?.on('message', (msg: ContextRequest) => {
  let reply: ContextResponse;
  try {
    if (msg.kind === 'warm') {
      warmTokenizer();
      reply = { id: msg.id, ok: true };
    } else {
      reply = { id: msg.id, ok: true, value: buildContext(msg.input) };
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: msg.id, ok: false, error: { name: e.name, message: e.message } };
  }
  parentPort!.postMessage(reply);
});
