import { CounterError } from '../app/errors';
import type { CounterCore } from '../app/counter-core';
import type { ApiHost } from './api-handlers';
import type { Implementations } from './implementations';

/** STUB (issue 15, helper A builds it): the session, people, payment setup and audit log methods. */
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

const notBuilt = (): never => {
  throw new CounterError('not-built', 'Not built yet.');
};

export function peopleHandlers(core: CounterCore, host: ApiHost): Pick<Implementations, PeopleMethods> {
  void host;
  return {
    sessionState: () => core.session.view(),
    signInChoices: () => core.people.choices(),
    signIn: notBuilt,
    lockTill: () => core.session.lock('on-demand'),
    touchSession: () => null,
    createOwner: notBuilt,
    listPeople: notBuilt,
    addPerson: notBuilt,
    updatePerson: notBuilt,
    setPin: notBuilt,
    changeOwnPin: notBuilt,
    changePaymentSetup: notBuilt,
    auditLog: notBuilt,
    exportAudit: notBuilt,
  };
}
