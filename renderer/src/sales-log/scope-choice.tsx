import './scope-choice.css';
import type { ShopTill } from '../../../electron/shared/domain/shop-view';
import { sameScope, THIS_TILL, tillLabelParts, WHOLE_SHOP, type SalesScope } from './sales-scope';

interface ScopeChoiceProps {
  scope: SalesScope;
  /** The shop database's tills; null while they are read (or could not be). */
  tills: ShopTill[] | null;
  /** Why the tills could not be read, shown under the choice. */
  tillsError: string | null;
  onChange(scope: SalesScope): void;
}

/**
 * "Sales of: This till | Whole shop | each till": radio buttons, so arrow
 * keys move along them and a screen reader says which is chosen. This till
 * reads this till's own ledger; the others read the shop database.
 */
export function ScopeChoice({ scope, tills, tillsError, onChange }: ScopeChoiceProps) {
  const options: { key: string; scope: SalesScope; testId: string; label: string; short?: string; thisTill?: boolean }[] = [
    { key: 'this-till', scope: THIS_TILL, testId: 'log-scope-this-till', label: 'This till' },
    { key: 'shop', scope: WHOLE_SHOP, testId: 'log-scope-shop', label: 'Whole shop' },
    ...(tills ?? []).map((t) => {
      const { name, short } = tillLabelParts(t);
      return { key: t.id, scope: { kind: 'shop', tillId: t.id } as SalesScope, testId: `log-scope-till-${t.id}`, label: name, short, thisTill: t.thisTill };
    }),
  ];
  // A till the list no longer names (just chosen, the list read again without it) stays shown as chosen.
  if (scope.kind === 'shop' && scope.tillId !== null && !options.some((o) => sameScope(o.scope, scope))) {
    options.push({ key: scope.tillId, scope, testId: `log-scope-till-${scope.tillId}`, label: 'Till', short: scope.tillId.slice(0, 8) });
  }

  return (
    <fieldset className="log-scope" data-testid="log-scope" aria-describedby="log-scope-hint">
      <legend className="log-scope-legend">Sales of</legend>
      <div className="log-scope-options">
        {options.map((o) => {
          const checked = sameScope(o.scope, scope);
          return (
            <label key={o.key} className={`log-scope-option${checked ? ' log-scope-option--checked' : ''}`} data-this-till={o.thisTill ? 'true' : undefined}>
              <input type="radio" name="log-scope" className="visually-hidden" data-testid={o.testId} checked={checked} onChange={() => onChange(o.scope)} />
              <span className="log-scope-name">{o.label}</span>
              {o.short && <span className="log-scope-id">{`· ${o.short}`}</span>}
              {o.thisTill && <span className="log-scope-mark">this till</span>}
            </label>
          );
        })}
      </div>
      <p id="log-scope-hint" className="log-scope-hint hint" data-testid="log-scope-hint">
        {tillsError
          ? `The shop’s tills could not be read: ${tillsError}`
          : scope.kind === 'till'
            ? 'From this till’s own records.'
            : 'From the shop database: what each till has sent so far.'}
      </p>
    </fieldset>
  );
}
