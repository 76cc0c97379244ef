import './person-menu.css';
import { useEffect, useRef, useState } from 'react';
import type { SessionView } from '../../../electron/shared/contract';
import { ROLE_WORDS } from '../../../electron/shared/domain/people';
import { getCounterApi } from '../common/api';
import { ChangePinDialog } from './change-pin-dialog';

/**
 * Who is signed in (name and role), with Lock at hand, and behind the name
 * a small menu: change my PIN. Nothing in setup (nobody signs in yet).
 */
export function PersonMenu({ session }: { session: SessionView | null }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [pinOpen, setPinOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const person = session && !session.setup ? session.person : null;

  // A click elsewhere or Escape closes the menu.
  useEffect(() => {
    if (!menuOpen) return;
    const away = (event: Event) => {
      if (!(event.target instanceof Node) || !root.current?.contains(event.target)) setMenuOpen(false);
    };
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('pointerdown', away);
    window.addEventListener('keydown', escape);
    return () => {
      window.removeEventListener('pointerdown', away);
      window.removeEventListener('keydown', escape);
    };
  }, [menuOpen]);

  if (!person) return null;

  const lock = async () => {
    setMenuOpen(false);
    const answer = await getCounterApi().lockTill(undefined);
    setError(answer.ok ? null : answer.error.message);
  };

  return (
    <div className="person-menu" ref={root}>
      <button
        type="button"
        className="person-menu-who"
        data-testid="person-menu"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        title={`${person.name}, ${ROLE_WORDS[person.role].toLowerCase()}`}
        onClick={() => setMenuOpen((o) => !o)}
      >
        <span className="person-menu-name" data-testid="signed-in-name">
          {person.name}
        </span>
        <span className="person-menu-role" data-testid="signed-in-role">
          {ROLE_WORDS[person.role]} ▾
        </span>
      </button>
      {menuOpen && (
        <ul className="person-menu-list" role="menu">
          <li role="none">
            <button
              type="button"
              role="menuitem"
              className="person-menu-item"
              data-testid="change-own-pin"
              onClick={() => {
                setMenuOpen(false);
                setPinOpen(true);
              }}
            >
              Change my PIN
            </button>
          </li>
          <li role="none">
            <button type="button" role="menuitem" className="person-menu-item" onClick={() => void lock()}>
              Lock the till
            </button>
          </li>
        </ul>
      )}
      <button type="button" className="button button--small person-menu-lock" data-testid="lock-till" onClick={() => void lock()}>
        Lock
      </button>
      {error && (
        <p className="person-menu-error" role="alert">
          {error}
        </p>
      )}
      <ChangePinDialog open={pinOpen} onClose={() => setPinOpen(false)} />
    </div>
  );
}
