import { useState } from 'react';
import type { SessionView } from '../../../electron/shared/contract';
import { isLocked } from '../common/access';
import { LockScreen } from './lock-screen';
import { SignInNotices } from './sign-in-notices';
import { useActivityTouch } from './use-activity-touch';

interface SessionGateProps {
  session: SessionView | null;
  shopName: string | null;
}

/**
 * The lock screen while the till is locked, and after a sign-in what that
 * person must read first. Keeps the idle lock informed of a person at work.
 */
export function SessionGate({ session, shopName }: SessionGateProps) {
  const [notices, setNotices] = useState<string[]>([]);
  const locked = isLocked(session);
  useActivityTouch(!locked && session?.person != null);
  return (
    <>
      {/* Mounted afresh at each lock: nobody's name or PIN is left chosen for the next person. */}
      {locked && <LockScreen shopName={shopName} onSignedIn={(result) => setNotices(result.notices)} />}
      {!locked && <SignInNotices notices={notices} onAcknowledge={() => setNotices([])} />}
    </>
  );
}
