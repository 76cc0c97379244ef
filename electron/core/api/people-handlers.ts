import type { CounterCore } from '../app/counter-core';
import { changePaymentSetup } from '../people/payment-setup';
import { PeopleError } from '../people/people-service';
import type { ApiHandlers, ApiHost } from './api-handlers';
import { personOf } from './access-guard';
import type { Implementations } from './implementations';

/** The session, people, payment setup and audit log methods. Who may call each is the access guard's; what a row allows is here. */
export type PeopleMethods =
  | 'sessionState'
  | 'signInChoices'
  | 'signIn'
  | 'lockTill'
  | 'touchSession'
  | 'createOwner'
  | 'listPeople'
  | 'addPerson'
  | 'updatePerson'
  | 'setPin'
  | 'changeOwnPin'
  | 'changePaymentSetup'
  | 'auditLog'
  | 'exportAudit';

export function peopleHandlers(core: CounterCore, host: ApiHost): Pick<Implementations, PeopleMethods> {
  return {
    sessionState: () => core.session.view(),
    signInChoices: () => (core.people.hasOwner() ? core.people.choices() : []),
    signIn: ({ personId, pin }) => core.session.signIn(personId, pin),
    lockTill: () => core.session.lock('on-demand'),
    touchSession: () => {
      core.session.touch();
      return null;
    },
    createOwner: async ({ name, pin }) => {
      if (core.people.hasOwner()) throw new PeopleError('owner-exists', 'The owner exists already: sign in with their PIN.');
      const owner = await core.people.createOwner(name, pin);
      return core.session.signInOwner(owner);
    },
    listPeople: () => core.people.list(),
    addPerson: ({ name, role, pin }, ctx) => core.people.add(personOf(ctx, core), { name, role, pin }),
    updatePerson: ({ personId, name, role, active }, ctx) =>
      core.people.update(personOf(ctx, core), {
        personId,
        ...(name !== undefined ? { name } : {}),
        ...(role !== undefined ? { role } : {}),
        ...(active !== undefined ? { active } : {}),
      }),
    setPin: ({ personId, pin }, ctx) => core.people.setPin(personOf(ctx, core), personId, pin),
    changeOwnPin: async ({ currentPin, newPin }, ctx) => {
      await core.people.changeOwnPin(personOf(ctx, core), currentPin, newPin);
      return null;
    },
    changePaymentSetup: ({ mode, depositAddress, ownerPin, lastFour }, ctx) =>
      changePaymentSetup(core, personOf(ctx, core), { mode, depositAddress, ownerPin, lastFour }),
    auditLog: ({ cursor, limit, action }) =>
      core.ledger.audit.page({ ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}), ...(action ? { action } : {}) }),
    exportAudit: async (_args, ctx) => {
      const result = await host.exportAudit();
      if (result.kind !== 'cancelled') {
        core.ledger.audit.append({
          action: 'export',
          actor: ctx.actor,
          summary: `Audit log exported (${result.rows} ${result.rows === 1 ? 'entry' : 'entries'})`,
          detail: { what: 'audit', rows: result.rows, to: result.kind },
        });
      }
      return result;
    },
  };
}

/**
 * The deposit address and live/sandbox are not settings the till's API
 * changes (the schema refuses them): a request that sends them is told
 * where they go, in words, rather than "unrecognized key". The guard still
 * runs first, so a locked till or a cashier hears that instead.
 */
export function explainPaymentSetupKeys(update: ApiHandlers['updateSettings']): ApiHandlers['updateSettings'] {
  return async (args) => {
    const answer = await update(args);
    const sent = args && typeof args === 'object' ? Object.keys(args).filter((k) => k === 'mode' || k === 'depositAddress') : [];
    if (answer.ok || answer.error.code !== 'invalid-input' || !sent.length) return answer;
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message:
          'Invalid request to updateSettings: the deposit address and live/sandbox are not changed here. ' +
          'Use the deposit-address change (Settings → Payments), which asks for the owner’s PIN and the new address’s last four characters.',
        fields: Object.fromEntries(sent.map((k) => [k, 'Change it with the owner’s PIN (Settings → Payments).'])),
      },
    };
  };
}
