import { useState, type FormEvent } from 'react';
import { getCounterApi } from '../common/api';
import { useApiCall } from '../common/use-api-call';
import { ModalActions, ModalDialog, ModalError } from '../common/modal-dialog';
import { newPinProblem } from '../common/new-pin';
import { PinField } from '../common/pin-field';

interface ChangePinDialogProps {
  open: boolean;
  onClose(): void;
}

/** Anyone signed in changes their own PIN, giving the current one first. */
export function ChangePinDialog({ open, onClose }: ChangePinDialogProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const { error, setError, busy, send } = useApiCall();
  const [done, setDone] = useState(false);

  const close = () => {
    setCurrent('');
    setNext('');
    setAgain('');
    setError(null);
    setDone(false);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!current) return setError('Type your current PIN first.');
    const problem = newPinProblem(next, again);
    if (problem) return setError(problem);
    // The current PIN is typed again whatever the answer.
    await send(
      () => getCounterApi().changeOwnPin({ currentPin: current, newPin: next }),
      () => {
        setCurrent('');
        setNext('');
        setAgain('');
        setError(null);
        setDone(true);
      },
      () => setCurrent(''),
    );
  };

  return (
    <ModalDialog open={open} title="Change my PIN" testId="change-pin-dialog" onClose={close}>
      {done ? (
        <>
          <p className="note" role="status" data-testid="change-pin-done">
            Your PIN is changed. Use the new one from the next sign-in.
          </p>
          <div className="modal-actions">
            <button type="button" className="button button--primary" data-autofocus onClick={close}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form className="modal-form" onSubmit={(e) => void submit(e)} noValidate>
          <PinField id="own-pin-current" label="Current PIN" value={current} onChange={setCurrent} />
          <PinField id="own-pin-new" label="New PIN (4 to 8 digits)" value={next} onChange={setNext} />
          <PinField id="own-pin-again" label="New PIN again" value={again} onChange={setAgain} />
          <ModalError error={error} testId="change-pin-error" />
          <ModalActions label="Change PIN" busyLabel="Saving…" testId="change-pin-save" busy={busy} onBack={close} />
        </form>
      )}
    </ModalDialog>
  );
}

