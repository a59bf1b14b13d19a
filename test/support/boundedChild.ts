// The child side of runBounded(): one call, its value (or error) sent back over IPC.
process.once('message', (m: { file: string; fn: string; args: unknown[] }) => {
  Promise.resolve()
    .then(() => (require(m.file) as Record<string, (...a: unknown[]) => unknown>)[m.fn]!(...m.args))
    .then(
      (value) => process.send!({ ok: true, value }),
      (e: unknown) => process.send!({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
});
