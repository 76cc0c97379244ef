/** A message from the main process (or the till), shown as is: it is written for the cashier. */
export function TillError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="error-note" data-testid="till-error" role="alert">
      {message}
    </p>
  );
}
