import { expect, it } from 'vitest';
import { expectWtsError, type ContractContext } from '../context.js';

export function messageCases(ctx: ContractContext): void {
  it('shows a message and resolves to the answer, sending the whole text (lengths in bytes)', async () => {
    await ctx.load((s) => s.answers.push({ sessionId: 2, answer: 'cancel' }));
    const message = 'Reboot at 18:00 — save your work 😀 Ünïcödé';
    const answer = await ctx.client.sendMessage(2, {
      title: 'Wartung ✓',
      message,
      buttons: 'okCancel',
      icon: 'warning',
      timeoutSeconds: 300,
    });
    expect(answer).toBe('cancel');
    expect(await ctx.fixture.actions()).toEqual([
      {
        op: 'sendMessage',
        server: null,
        sessionId: 2,
        title: 'Wartung ✓',
        message,
        buttons: 'okCancel',
        icon: 'warning',
        timeoutSeconds: 300,
        wait: true,
      },
    ]);
  });

  it('sends each icon as its own MB_ICON* style', async () => {
    const icons = ['none', 'error', 'question', 'warning', 'information'] as const;
    for (const icon of icons) await ctx.client.sendMessage(2, { message: icon, icon, wait: false });
    // On the native backend the stand-in logs the style and the test decodes it with its own MB_ICON* table.
    expect((await ctx.fixture.actions()).map((c) => [c.message, c.icon])).toEqual(icons.map((i) => [i, i]));
  });

  it("answers 'async' at once without wait, and sends an empty title as a space", async () => {
    expect(await ctx.client.sendMessage(4, { message: 'FYI', wait: false })).toBe('async');
    expect(await ctx.fixture.actions()).toEqual([
      {
        op: 'sendMessage',
        server: null,
        sessionId: 4,
        title: ' ',
        message: 'FYI',
        buttons: 'ok',
        icon: 'none',
        timeoutSeconds: 0,
        wait: false,
      },
    ]);
  });

  it("maps every answer, and 'timeout' when nobody answers", async () => {
    const answers = ['ok', 'cancel', 'abort', 'retry', 'ignore', 'yes', 'no', 'tryAgain', 'continue'] as const;
    await ctx.load((s) => s.answers.push(...answers.map((answer) => ({ sessionId: 2, answer }))));
    for (const answer of answers) expect(await ctx.client.sendMessage(2, { message: answer })).toBe(answer);
    expect(await ctx.client.sendMessage(2, { message: 'anyone?', timeoutSeconds: 1 })).toBe('timeout');
  });

  it('rejects a message to a session that does not exist, and bad texts', async () => {
    await expectWtsError(ctx.client.sendMessage(42, { message: 'hi' }), {
      code: 'ERROR_CTX_WINSTATION_NOT_FOUND',
      errno: 7022,
      syscall: 'WTSSendMessageW',
      sessionId: 42,
    });
    await expect(ctx.client.sendMessage(2, {} as never)).rejects.toThrow(TypeError);
    await expect(ctx.client.sendMessage(2, { message: 'x'.repeat(10_001) })).rejects.toThrow(RangeError);
    await expect(ctx.client.sendMessage(2, { message: 'x', buttons: 'maybe' } as never)).rejects.toThrow(RangeError);
    await expect(ctx.client.sendMessage(2, { message: 'x', timeoutSeconds: -1 })).rejects.toThrow(RangeError);
  });

  it('stops waiting for the answer when aborted, with an AbortError', async () => {
    await ctx.load((s) => s.answers.push({ sessionId: 2, answer: 'ok', delayMs: 5_000 }));
    const controller = new AbortController();
    const pending = ctx.client.sendMessage(2, { message: 'slow reader', signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 50);
    // Rejects instead of resolving 'ok': it did not wait for the answer.
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
  });
}
