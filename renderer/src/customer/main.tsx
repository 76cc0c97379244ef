// The customer display's own entry (renderer/customer.html): it mounts the
// customer app only, so its bundle holds none of the till's code and none
// of the cashier's API. The global stylesheet (palette, reset, focus ring)
// is the till's, so both screens speak the same colours; it comes first.
import '../app/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CustomerApp } from './customer-app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CustomerApp />
  </StrictMode>,
);
