import './app.css';
import { useEffect, useRef, useState } from 'react';
import { AppHeader } from './app-header';
import { AuditScreen } from '../audit/audit-screen';
import { CustomerDisplayButton } from './customer-display-button';
import { PersonMenu } from '../session/person-menu';
import { SalesLogScreen } from '../sales-log/sales-log-screen';
import { SandboxBanner } from './sandbox-banner';
import { SCREEN_TABS, visibleScreens, type Screen } from './screens';
import { SessionGate } from '../session/session-gate';
import { SettingsScreen } from '../settings/settings-screen';
import { ShiftScreen } from '../shifts/shift-screen';
import { StatusBar } from './status-bar';
import { Till } from '../till/till';
import { canUse, isLocked } from '../common/access';
import { useAppStatus } from './use-app-status';
import { useCurrentShift } from '../common/use-current-shift';
import { useSession } from '../common/use-session';

export function App() {
  const { status, error } = useAppStatus();
  const { session } = useSession();
  const [chosen, setChosen] = useState<Screen>('till');
  const main = useRef<HTMLElement>(null);
  const switched = useRef(false);
  const visible = visibleScreens(session);
  // A screen this person may not use is never shown (after a lock and another sign-in, say): the till is.
  const screen: Screen = visible.includes(chosen) ? chosen : 'till';
  const locked = isLocked(session);
  const shift = useCurrentShift(!locked && canUse(session, 'currentShift'));

  // After a switch, focus moves to the new screen's heading, so keyboard
  // users carry on there; not at start, where nothing was chosen yet.
  useEffect(() => {
    if (!switched.current) return;
    main.current?.querySelector<HTMLElement>(`[data-screen="${screen}"] h1`)?.focus();
  }, [screen]);

  // Whoever signs in next starts on the till.
  useEffect(() => {
    if (locked) setChosen('till');
  }, [locked]);

  const select = (next: Screen) => {
    switched.current = true;
    setChosen(next);
  };

  return (
    <div className="app">
      {status?.mode === 'sandbox' && <SandboxBanner />}
      <AppHeader
        shopName={status?.shopName ?? null}
        tabs={SCREEN_TABS.filter((t) => visible.includes(t.id))}
        current={screen}
        onSelect={select}
        actions={
          <>
            <CustomerDisplayButton />
            <PersonMenu session={session} />
          </>
        }
      />
      <main ref={main} className="app-main">
        {/* Every screen stays mounted: a sale in progress survives a look at the log or the settings. */}
        <div data-screen="till" className="screen" hidden={screen !== 'till'}>
          <h1 className="visually-hidden" tabIndex={-1}>
            Till
          </h1>
          <Till
            status={status}
            session={session}
            shift={shift.report}
            active={screen === 'till' && !locked}
            onPaid={() => screen !== 'till' && select('till')}
            onOpenShift={() => select('shift')}
          />
        </div>
        {visible.includes('shift') && (
          <div data-screen="shift" className="screen" hidden={screen !== 'shift'}>
            <ShiftScreen active={screen === 'shift'} status={status} session={session} current={shift} />
          </div>
        )}
        {visible.includes('log') && (
          <div data-screen="log" className="screen" hidden={screen !== 'log'}>
            <SalesLogScreen active={screen === 'log'} status={status} session={session} />
          </div>
        )}
        {visible.includes('audit') && (
          <div data-screen="audit" className="screen" hidden={screen !== 'audit'}>
            <AuditScreen active={screen === 'audit'} status={status} />
          </div>
        )}
        {visible.includes('settings') && (
          <div data-screen="settings" className="screen" hidden={screen !== 'settings'}>
            <SettingsScreen active={screen === 'settings'} status={status} session={session} />
          </div>
        )}
      </main>
      <StatusBar status={status} error={error} />
      <SessionGate session={session} shopName={status?.shopName ?? null} />
    </div>
  );
}
