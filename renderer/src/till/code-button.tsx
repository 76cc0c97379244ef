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
  onEvent(event: ButtonEvent, message?: string): void;
}

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

  useEffect(() => {
    const host = container.current;
    if (!host) return;
    // A fresh element per mount: Vue marks the element it mounted on and
    // refuses to mount there twice.
    const target = document.createElement('div');
    host.appendChild(target);
    let unmount = () => {};
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
      const message = error instanceof Error ? error.message : String(error);
      setProblem(message);
      latest.current('error', message);
    }
    return () => {
      try {
        unmount();
      } finally {
        target.remove();
      }
    };
  }, [payment.tenderId, payment.currency, payment.destination, payment.amount, payment.clientSecret]);

  return (
    <div className="code-button">
      <div ref={container} className="code-button-host" data-testid="code-button" />
      {problem && (
        <p className="note note--warning" role="alert">
          The Code button could not be shown ({problem}). The payment stays open: Counter still checks for it.
        </p>
      )}
    </div>
  );
}
