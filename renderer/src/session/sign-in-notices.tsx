import './sign-in-notices.css';
import { ModalDialog } from '../common/modal-dialog';

interface SignInNoticesProps {
  notices: string[];
  onAcknowledge(): void;
}

/** What changed since this person last signed in ("Deposit address changed at … by …"): read and acknowledged before the till is used. */
export function SignInNotices({ notices, onAcknowledge }: SignInNoticesProps) {
  return (
    <ModalDialog open={notices.length > 0} title="Read this first" testId="sign-in-notices" onClose={() => {}}>
      <p className="modal-hint">Since you last signed in:</p>
      <ul className="notices-list">
        {notices.map((n, i) => (
          <li key={i} className="notices-item" data-testid="sign-in-notice">
            {n}
          </li>
        ))}
      </ul>
      <p className="modal-hint">If you did not expect this, tell the owner before you take any payment.</p>
      <div className="modal-actions">
        <button type="button" className="button button--primary" data-testid="notices-ack" data-autofocus onClick={onAcknowledge}>
          I have read this
        </button>
      </div>
    </ModalDialog>
  );
}
