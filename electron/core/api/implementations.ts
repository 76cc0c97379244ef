import type { ApiArgsParsed, ApiMethod, ApiResults } from '../../shared/contract';
import type { CallContext } from './call-context';

/** One implementation per API method: the parsed arguments and who calls, the value (the handler table wraps it in an envelope). */
export type Implementations = { [M in ApiMethod]: (args: ApiArgsParsed<M>, ctx: CallContext) => Promise<ApiResults[M]> | ApiResults[M] };
