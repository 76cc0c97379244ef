import './app-header.css';
import type { ReactNode } from 'react';
import type { ScreenTab } from './screens';

export type { ScreenTab };

interface AppHeaderProps<Id extends string> {
  shopName: string | null;
  tabs: readonly ScreenTab<Id>[];
  current: Id;
  onSelect(id: Id): void;
  /** Beside the tabs: actions for the whole window (the customer display). */
  actions?: ReactNode;
}

/** The shop's name and the screens; plain buttons, so Tab and Enter reach every one. */
export function AppHeader<Id extends string>({ shopName, tabs, current, onSelect, actions }: AppHeaderProps<Id>) {
  return (
    <header className="app-header">
      <p className="brand" title={shopName ? `Counter · ${shopName}` : undefined}>
        Counter{shopName ? <span className="brand-shop"> · {shopName}</span> : null}
      </p>
      <nav aria-label="Screens">
        <ul className="tabs">
          {tabs.map((tab) => (
            <li key={tab.id}>
              <button
                type="button"
                className="tab"
                data-testid={tab.testId}
                aria-current={tab.id === current ? 'page' : undefined}
                onClick={() => onSelect(tab.id)}
              >
                {tab.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {actions}
    </header>
  );
}
