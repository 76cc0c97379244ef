// A new PIN typed twice (the owner, a new person, a changed PIN): what is
// wrong with it in words before anything is sent. The rules are shared's
// (pinProblem); the main process checks them again.
import { pinProblem } from '../../../electron/shared/domain/people';

export function newPinProblem(pin: string, again: string): string | null {
  const problem = pinProblem(pin);
  if (problem) return problem;
  if (pin !== again) return 'The two PINs differ: type the same PIN twice.';
  return null;
}
