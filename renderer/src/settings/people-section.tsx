import './people-section.css';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Person } from '../../../electron/shared/contract';
import { MAX_PERSON_NAME, ROLE_WORDS } from '../../../electron/shared/domain/people';
import { getCounterApi } from '../common/api';
import { useApiCall } from '../common/use-api-call';
import { ModalActions, ModalDialog, ModalError } from '../common/modal-dialog';
import { newPinProblem } from '../common/new-pin';
import { PinField } from '../common/pin-field';
import { rowTime } from '../common/shop-time';
import { personState } from './people-text';

type StaffRole = 'cashier' | 'manager';
type Editing = { kind: 'add' } | { kind: 'edit'; person: Person } | { kind: 'pin'; person: Person } | null;

/**
 * The owner's people: who may sign in, their role, when they last did, and
 * whether too many wrong PINs locked them out. Add a cashier or a manager
 * with a PIN; rename, change the role, remove (they stay named on their
 * records), or set a new PIN (which lifts a lockout).
 */
export function PeopleSection({ timeZone }: { timeZone: string }) {
  const [people, setPeople] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(async () => {
    const answer = await getCounterApi().listPeople(undefined);
    if (answer.ok) {
      setPeople(answer.value);
      setError(null);
    } else setError(answer.error.message);
  }, []);
  useEffect(() => void load(), [load]);

  const done = (text: string) => {
    setEditing(null);
    setNote(text);
    void load();
  };

  const restore = async (person: Person) => {
    const answer = await getCounterApi().updatePerson({ personId: person.id, active: true });
    if (answer.ok) done(`${person.name} can sign in again.`);
    else setError(answer.error.message);
  };

  const now = Date.now();
  return (
    <section className="field field--group people" data-testid="people-section" aria-labelledby="people-title">
      <div className="people-head">
        <h2 id="people-title" className="field-label people-title">
          People
        </h2>
        <button type="button" className="button button--small button--primary" data-testid="add-person" onClick={() => (setNote(null), setEditing({ kind: 'add' }))}>
          Add a cashier or manager…
        </button>
      </div>
      <p className="field-hint">Cashiers sell, cancel their own open sales and close their shift; managers also refund, void, open the drawer and read the sales log.</p>
      {error && (
        <p className="error-note" role="alert">
          {error}
        </p>
      )}
      {note && (
        <p className="people-note" role="status" data-testid="people-note">
          {note}
        </p>
      )}
      {people && (
        <table className="people-table" data-testid="people-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => {
              const state = personState(p, now, timeZone);
              return (
                <tr key={p.id} data-testid="person-row" data-person-id={p.id} data-role={p.role} data-active={p.active} className={p.active ? undefined : 'people-row--removed'}>
                  <td className="people-name">{p.name}</td>
                  <td>{ROLE_WORDS[p.role]}</td>
                  <td>{p.lastSignInAt === null ? 'never' : rowTime(p.lastSignInAt, timeZone)}</td>
                  <td className={`people-state people-state--${state.tone}`} data-testid="person-state">
                    {state.text}
                  </td>
                  <td>
                    <div className="people-actions">
                    {p.role !== 'owner' && p.active && (
                      <>
                        <button type="button" className="button--tiny" data-testid="edit-person" onClick={() => (setNote(null), setEditing({ kind: 'edit', person: p }))}>
                          Edit
                        </button>
                        <button type="button" className="button--tiny" data-testid="set-person-pin" onClick={() => (setNote(null), setEditing({ kind: 'pin', person: p }))}>
                          New PIN
                        </button>
                      </>
                    )}
                    {p.role !== 'owner' && !p.active && (
                      <button type="button" className="button--tiny" data-testid="restore-person" onClick={() => void restore(p)}>
                        Restore
                      </button>
                    )}
                    {p.role === 'owner' && <span className="hint">Your own PIN: under your name ▾</span>}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {editing?.kind === 'add' && <AddPersonDialog onClose={() => setEditing(null)} onDone={(p) => done(`${p.name} added as ${ROLE_WORDS[p.role].toLowerCase()}.`)} />}
      {editing?.kind === 'edit' && <EditPersonDialog person={editing.person} onClose={() => setEditing(null)} onDone={done} />}
      {editing?.kind === 'pin' && <SetPinDialog person={editing.person} onClose={() => setEditing(null)} onDone={done} />}
    </section>
  );
}

function NameField({ value, onChange }: { value: string; onChange(v: string): void }) {
  return (
    <div className="modal-field">
      <label className="modal-label" htmlFor="person-name">
        Name (as the lock screen shows it)
      </label>
      <input id="person-name" data-testid="person-name" autoComplete="off" maxLength={MAX_PERSON_NAME} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function RoleField({ value, onChange }: { value: StaffRole; onChange(v: StaffRole): void }) {
  return (
    <div className="modal-field">
      <label className="modal-label" htmlFor="person-role">
        Role
      </label>
      <select id="person-role" data-testid="person-role" value={value} onChange={(e) => onChange(e.target.value as StaffRole)}>
        <option value="cashier">Cashier</option>
        <option value="manager">Manager</option>
      </select>
    </div>
  );
}

function AddPersonDialog({ onClose, onDone }: { onClose(): void; onDone(p: Person): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('cashier');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const { error, setError, busy, send } = useApiCall();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setError('Give a name: the lock screen lists people by name.');
    const problem = newPinProblem(pin, again);
    if (problem) return setError(problem);
    await send(() => getCounterApi().addPerson({ name: name.trim(), role, pin }), onDone);
  };
  return (
    <ModalDialog open title="Add a person" testId="add-person-dialog" onClose={onClose}>
      <form className="modal-form" onSubmit={(e) => void submit(e)} noValidate>
        <NameField value={name} onChange={(v) => (setName(v), setError(null))} />
        <RoleField value={role} onChange={setRole} />
        <PinField id="person-pin" label="Their PIN (4 to 8 digits)" value={pin} onChange={(v) => (setPin(v), setError(null))} hint="Let them type it, or tell it to them alone; they can change it later." />
        <PinField id="person-pin-again" label="The PIN again" value={again} onChange={(v) => (setAgain(v), setError(null))} />
        <ModalError error={error} testId="person-error" />
        <ModalActions label="Add" busyLabel="Saving…" testId="add-person-save" busy={busy} onBack={onClose} />
      </form>
    </ModalDialog>
  );
}

function EditPersonDialog({ person, onClose, onDone }: { person: Person; onClose(): void; onDone(text: string): void }) {
  const [name, setName] = useState(person.name);
  const [role, setRole] = useState<StaffRole>(person.role === 'manager' ? 'manager' : 'cashier');
  const { error, setError, busy, send } = useApiCall();
  const [removing, setRemoving] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setError('Give a name: the lock screen lists people by name.');
    const patch: { personId: number; name?: string; role?: StaffRole } = { personId: person.id };
    if (name.trim() !== person.name) patch.name = name.trim();
    if (role !== person.role) patch.role = role;
    if (patch.name === undefined && patch.role === undefined) return onClose();
    await send(
      () => getCounterApi().updatePerson(patch),
      (saved) => onDone(`${saved.name} saved: ${ROLE_WORDS[saved.role].toLowerCase()}.`),
    );
  };
  const remove = async () => {
    await send(
      () => getCounterApi().updatePerson({ personId: person.id, active: false }),
      () => onDone(`${person.name} removed: they can no longer sign in, and stay named on their sales.`),
    );
  };
  return (
    <ModalDialog open title={`Edit ${person.name}`} testId="edit-person-dialog" onClose={onClose}>
      {removing ? (
        <>
          <p>
            Remove <strong>{person.name}</strong>? They can no longer sign in. Their sales, refunds and shifts keep their name.
          </p>
          <ModalError error={error} testId="person-error" />
          <ModalActions label="Remove" testId="remove-person-yes" busy={busy} onConfirm={() => void remove()} backLabel="Go back" onBack={() => setRemoving(false)} />
        </>
      ) : (
        <form className="modal-form" onSubmit={(e) => void submit(e)} noValidate>
          <NameField value={name} onChange={(v) => (setName(v), setError(null))} />
          <RoleField value={role} onChange={setRole} />
          <ModalError error={error} testId="person-error" />
          <ModalActions label="Save" busyLabel="Saving…" testId="edit-person-save" busy={busy} onBack={onClose} />
          <button type="button" className="button button--small people-remove" data-testid="remove-person" onClick={() => setRemoving(true)}>
            Remove {person.name}…
          </button>
        </form>
      )}
    </ModalDialog>
  );
}

function SetPinDialog({ person, onClose, onDone }: { person: Person; onClose(): void; onDone(text: string): void }) {
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const { error, setError, busy, send } = useApiCall();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problem = newPinProblem(pin, again);
    if (problem) return setError(problem);
    await send(
      () => getCounterApi().setPin({ personId: person.id, pin }),
      () => onDone(`${person.name} has a new PIN${person.lockedUntil !== null ? ' and can sign in again' : ''}.`),
    );
  };
  return (
    <ModalDialog open title={`New PIN for ${person.name}`} testId="set-pin-dialog" onClose={onClose}>
      <form className="modal-form" onSubmit={(e) => void submit(e)} noValidate>
        {person.lockedUntil !== null && <p className="note note--warning">A new PIN also lifts the lockout after too many wrong PINs.</p>}
        <PinField id="set-pin" label="New PIN (4 to 8 digits)" value={pin} onChange={(v) => (setPin(v), setError(null))} />
        <PinField id="set-pin-again" label="The PIN again" value={again} onChange={(v) => (setAgain(v), setError(null))} />
        <ModalError error={error} testId="person-error" />
        <ModalActions label="Set PIN" busyLabel="Saving…" testId="set-pin-save" busy={busy} onBack={onClose} />
      </form>
    </ModalDialog>
  );
}
