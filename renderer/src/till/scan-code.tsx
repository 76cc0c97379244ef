import { useEffect, useState } from 'react';
import type { CodePaymentView, ScanCodeView } from '../../../electron/shared/contract';
import { getCounterApi } from '../common/api';
import { ScanCodeImage } from '../common/scan-code-image';

/**
 * The scan code of the Code payment on screen, drawn by Counter from the
 * path data the main process computed for exactly this payment request:
 * shown at once, in sandbox mode too, with no button to press and nothing
 * loaded from Code.
 */
export function ScanCode({ payment }: { payment: CodePaymentView }) {
  const [code, setCode] = useState<ScanCodeView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setCode(null);
    setProblem(null);
    void getCounterApi()
      .scanCode({ saleId: payment.saleId, tenderId: payment.tenderId })
      .then((answer) => {
        if (!live) return;
        if (answer.ok) setCode(answer.value);
        else setProblem(answer.error.message);
      });
    return () => {
      live = false;
    };
  }, [payment.saleId, payment.tenderId]);

  if (problem) {
    return (
      <p className="note" data-testid="scan-code-problem">
        The payment code cannot be drawn: {problem}
      </p>
    );
  }
  if (!code || code.tenderId !== payment.tenderId) return <div className="scan-code scan-code--loading" aria-hidden="true" />;
  return <ScanCodeImage code={code} intentId={code.intentId} />;
}
