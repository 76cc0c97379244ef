import './app.css';
import { useEffect, useRef, useState } from 'react';
import { AppHeader, type ScreenTab } from './app-header';
import { CustomerDisplayButton } from './customer-display-button';
import { SalesLogScreen } from '../sales-log/sales-log-screen';
import { SandboxBanner } from './sandbox-banner';
import { SettingsScreen } from '../settings/settings-screen';
import { StatusBar } from './status-bar';
import { Till } from '../till/till';
import { useAppStatus } from './use-app-status';

type Screen = 'till' | 'log' | 'settings';
const SCREENS: readonly ScreenTab<Screen>[] = [
  { id: 'till', label: 'Till', testId: 'till-tab' },
  { id: 'log', label: 'Sales log', testId: 'sales-log-tab' },
  { id: 'settings', label: 'Settings', testId: 'settings-tab' },
];

export function App() {
  const { status, error } = useAppStatus();
  const [screen, setScreen] = useState<Screen>('till');
  const main = useRef<HTMLElement>(null);
  const switched = useRef(false);

  // After a switch, focus moves to the new screen's heading, so keyboard
  // users carry on there; not at start, where nothing was chosen yet.
  useEffect(() => {
    if (!switched.current) return;
    main.current?.querySelector<HTMLElement>(`[data-screen="${screen}"] h1`)?.focus();
  }, [screen]);

  const select = (next: Screen) => {
    switched.current = true;
    setScreen(next);
  };

  return (
    <div className="app">
      {status?.mode === 'sandbox' && <SandboxBanner />}
      <AppHeader shopName={status?.shopName ?? null} tabs={SCREENS} current={screen} onSelect={select} actions={<CustomerDisplayButton />} />
      <main ref={main} className="app-main">
        {/* Every screen stays mounted: a sale in progress survives a look at the log or the settings. */}
        <div data-screen="till" className="screen" hidden={screen !== 'till'}>
          <h1 className="visually-hidden" tabIndex={-1}>
            Till
          </h1>
          <Till status={status} active={screen === 'till'} onPaid={() => screen !== 'till' && select('till')} />
        </div>
        <div data-screen="log" className="screen" hidden={screen !== 'log'}>
          <SalesLogScreen active={screen === 'log'} status={status} />
        </div>
        <div data-screen="settings" className="screen" hidden={screen !== 'settings'}>
          <SettingsScreen active={screen === 'settings'} status={status} />
        </div>
      </main>
      <StatusBar status={status} error={error} />
    </div>
  );
}
