export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>Counter</h1>
      <p>The ledger is open. The till arrives with the payments and till issues.</p>
    </main>
  );
}
