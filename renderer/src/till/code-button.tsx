import './code-button.css';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
// The package's typings declare only the named export (its default is { elements, errors }).
import { elements } from '@code-wallet/elements';
import type { CurrencyCode } from '@code-wallet/currency';
import type { CodePaymentView } from '../../../electron/shared/contract';
import { hundredthsToDecimal } from '../../../electron/shared/domain/money';

export type ButtonEvent = 'invoke' | 'success' | 'cancel' | 'error';

interface CodeButtonProps {
  /** One Code payment of the sale (a part of it when the sale is split). */
  payment: CodePaymentView;
  /** `shown`: the button says it on the till itself (its frame could not load), so the till adds no note of its own. */
  onEvent(event: ButtonEvent, message?: string, shown?: boolean): void;
}

/**
 * How long the button's frame (a page on Code's site, sdk.getcode.com) gets
 * to say it is there. Its page talks to Counter's page only by postMessage
 * (the SDK's EventChannel: `{ id, type: 'event', payload: { event: 'resize' … } }`
 * as soon as it is mounted), and the frame's `load` event fires for
 * Chromium's own "no internet" page too, so silence is the only sign of a
 * frame that did not load.
 */
const FRAME_READY_MS = 5_000;
export const FRAME_FAILED = 'The Code button could not load (no connection to Code). The customer can scan the code shown here.';

/**
 * Code's payment button (SPEC §3), mounted for one Code payment and unmounted
 * when that payment leaves the screen (paid, cancelled, or the next one of a
 * split sale takes its place). Its events are reported to the main process and
 * otherwise ignored: a browser event is never proof of payment.
 */
export function CodeButton({ payment, onEvent }: CodeButtonProps) {
  const container = useRef<HTMLDivElement>(null);
  const latest = useRef(onEvent);
  useLayoutEffect(() => {
    latest.current = onEvent;
  });
  const [problem, setProblem] = useState<string | null>(null);
  const [frameFailed, setFrameFailed] = useState(false);

  useEffect(() => {
    const host = container.current;
    if (!host) return;
    // A fresh element per mount: Vue marks the element it mounted on and
    // refuses to mount there twice.
    const target = document.createElement('div');
    host.appendChild(target);
    let unmount = () => {};
    setFrameFailed(false);

    // Any message from the button's own frame (not the payment card's, which
    // the SDK puts elsewhere in the page) says Code's page is there.
    let heard = false;
    let reported = false;
    const fromButtonFrame = (source: MessageEventSource | null) =>
      source !== null && [...target.querySelectorAll('iframe')].some((frame) => frame.contentWindow === source);
    const onMessage = (event: MessageEvent) => {
      if (!fromButtonFrame(event.source)) return;
      heard = true;
      setFrameFailed(false);
    };
    const fail = () => {
      if (heard) return;
      setFrameFailed(true);
      // Once per payment on screen: the main process logs it for a support call.
      if (!reported) latest.current('error', FRAME_FAILED, true);
      reported = true;
    };
    window.addEventListener('message', onMessage);
    // A frame that cannot even start (refused by the browser) says so at once.
    target.addEventListener('error', fail, true);
    const timer = setTimeout(fail, FRAME_READY_MS);

    try {
      const { button } = elements.create('button', {
        // The main process only charges in currencies Code knows (settings check them).
        currency: payment.currency as CurrencyCode,
        destination: payment.destination,
        amount: hundredthsToDecimal(payment.amount),
        clientSecret: payment.clientSecret,
      });
      if (!button) throw new Error('the Code SDK returned no button');
      // Returning true from success/cancel/error stops the SDK navigating the
      // window to a confirm URL. Not from invoke: there, true means "abort",
      // and the SDK would close the payment code before the customer saw it.
      button.on('invoke', async () => {
        latest.current('invoke');
        return false;
      });
      button.on('success', async () => {
        latest.current('success');
        return true;
      });
      button.on('cancel', async () => {
        latest.current('cancel');
        return true;
      });
      button.on('error', async (args?: { message?: string }) => {
        latest.current('error', args?.message);
        return true;
      });
      button.mount(target);
      unmount = () => button.unmount();
      setProblem(null);
    } catch (error) {
      // No frame at all: the problem below says so, the silence timer has nothing to watch.
      clearTimeout(timer);
      const message = error instanceof Error ? error.message : String(error);
      setProblem(message);
      latest.current('error', message);
    }
    return () => {
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      target.removeEventListener('error', fail, true);
      try {
        unmount();
      } finally {
        target.remove();
      }
    };
  }, [payment.tenderId, payment.currency, payment.destination, payment.amount, payment.clientSecret]);

  return (
    <div className={`code-button${frameFailed ? ' code-button--failed' : ''}`}>
      <div ref={container} className="code-button-host" data-testid="code-button" />
      {frameFailed && !problem && (
        <p className="note note--warning" data-testid="code-button-failed" role="alert">
          {FRAME_FAILED}
        </p>
      )}
      {problem && (
        <p className="note note--warning" role="alert">
          The Code button could not be shown ({problem}). The payment stays open: Counter still checks for it.
        </p>
      )}
    </div>
  );
}
